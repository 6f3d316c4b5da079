using System.Globalization;
using LeadScoring.Core.Alerting;
using MathNet.Numerics.Distributions;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// The rules judged on a stored monitoring run's figures (drift, prediction drift, data quality, realised
/// performance, conversion, retraining). A rule reads only runs of its window's kind, so an hourly run never clears
/// what a daily run raised. Runs without a verdict (too few leads, no leads, failed) are judged by nobody.
/// </summary>
public static class MonitoringAlertRules
{
    /// <summary>A realised ROC AUC this far below the held-out one asks for retraining.</summary>
    public const double RetrainingAucDrop = 0.05;

    /// <summary>Every verdict of <paramref name="rules"/> on <paramref name="run"/>.</summary>
    public static IReadOnlyList<RuleVerdict> Evaluate(IEnumerable<AlertRule> rules, MonitoringRunDetail run)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(run);
        var stored = run.Run.Run;
        if (stored.Status != MonitoringRunStatuses.Ok)
        {
            return [];
        }

        var figures = new RunFigures(run);
        var verdicts = new List<RuleVerdict>();
        foreach (var rule in rules.Where(r => r.AppliesTo(stored.ModelName) && r.Window == stored.Kind))
        {
            switch (rule.Type)
            {
                case AlertRuleTypes.FeaturePsi:
                    verdicts.AddRange(FeaturePsi(rule, figures));
                    break;
                case AlertRuleTypes.ScorePsi:
                    Add(verdicts, ScorePsi(rule, figures));
                    break;
                case AlertRuleTypes.DataQuality:
                    Add(verdicts, DataQuality(rule, figures));
                    break;
                case AlertRuleTypes.PerformanceDrop:
                    Add(verdicts, PerformanceDrop(rule, figures));
                    break;
                case AlertRuleTypes.ConversionDrop:
                    Add(verdicts, ConversionDrop(rule, figures));
                    break;
                case AlertRuleTypes.RetrainingRequest:
                    Add(verdicts, Retraining(rule, figures));
                    break;
            }
        }

        return verdicts;
    }

    private static void Add(List<RuleVerdict> verdicts, RuleVerdict? verdict)
    {
        if (verdict is not null)
        {
            verdicts.Add(verdict);
        }
    }

    private static IEnumerable<RuleVerdict> FeaturePsi(AlertRule rule, RunFigures f)
    {
        foreach (var psi in f.All("psi"))
        {
            var feature = psi.Feature!;
            var verdict = f.Get("drifted", feature)?.Verdict;
            if (verdict is not ("drifted" or "stable"))
            {
                continue;
            }

            var level = rule.LevelOf(psi.Value);
            var breached = level is not null && verdict == "drifted";
            var values = f.Context();
            values["feature"] = feature;
            values["psi"] = psi.Value;
            values["drift_test"] = verdict;
            values["adjusted_p_value"] = f.Get("adjusted_p_value", feature)?.Value;
            values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Warning);
            var summary = breached
                ? $"{feature} drifted in {f.Scope}: PSI {F(psi.Value)} above {F(rule.ThresholdOf(level!.Value))} ({f.WindowText})"
                : $"{feature} is back within bounds in {f.Scope}: PSI {F(psi.Value)}, drift test {verdict} ({f.WindowText})";
            yield return new RuleVerdict(rule, $"{f.Scope}/{feature}", f.Model, breached, level ?? LowestLevel(rule), summary, values);
        }
    }

    private static RuleVerdict? ScorePsi(AlertRule rule, RunFigures f)
    {
        if (f.Get("score_psi") is not { } psi)
        {
            return null;
        }

        var level = rule.LevelOf(psi.Value);
        var values = f.Context();
        values["score_psi"] = psi.Value;
        values["mean_score"] = f.Get("mean_score")?.Value;
        values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Warning);
        var summary = level is { } l
            ? $"the score distribution drifted in {f.Scope}: PSI {F(psi.Value)} above {F(rule.ThresholdOf(l))} ({f.WindowText})"
            : $"the score distribution is back within bounds in {f.Scope}: PSI {F(psi.Value)} ({f.WindowText})";
        return new RuleVerdict(rule, f.Scope, f.Model, level is not null, level ?? LowestLevel(rule), summary, values);
    }

    private static RuleVerdict? DataQuality(AlertRule rule, RunFigures f)
    {
        if (f.Get("quality_failed_features") is not { } failed || failed.Verdict is not ("failed" or "ok"))
        {
            return null;
        }

        var breached = failed.Verdict == "failed";
        var features = f.All("quality").Where(q => q.Value >= 1).Select(q => q.Feature!).ToList();
        var values = f.Context();
        values["failed_features"] = string.Join(", ", features);
        foreach (var feature in features)
        {
            foreach (var rate in new[] { "missing_rate", "zero_rate", "out_of_range_rate", "unseen_category_rate" })
            {
                if (f.Get(rate, feature) is { } figure)
                {
                    values[$"{rate}.{feature}"] = figure.Value;
                }
            }
        }

        var summary = breached
            ? $"data quality failed in {f.Scope} on {features.Count} feature{(features.Count == 1 ? "" : "s")}: {string.Join(", ", features)} ({f.WindowText}); is the pipeline feeding the service broken?"
            : $"data quality is back to normal in {f.Scope} ({f.WindowText})";
        return new RuleVerdict(rule, f.Scope, f.Model, breached, rule.Level, summary, values);
    }

    private static RuleVerdict? PerformanceDrop(AlertRule rule, RunFigures f)
    {
        if (!f.Mature || f.Get("roc_auc") is not { } realised || f.Get("reference_roc_auc") is not { } reference || f.Labelled < rule.MinimumCount)
        {
            return null;
        }

        var drop = reference.Value - realised.Value;
        var level = rule.LevelOf(drop);
        var values = f.Context();
        values["roc_auc"] = realised.Value;
        values["reference_roc_auc"] = reference.Value;
        values["auc_drop"] = drop;
        values["estimated_roc_auc"] = f.Get("estimated_roc_auc")?.Value;
        values["labelled"] = f.Labelled;
        values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Warning);
        var summary = level is { } l
            ? $"realised ROC AUC {F(realised.Value)} in {f.Scope} is {F(drop)} below the held-out {F(reference.Value)} (tolerance {F(rule.ThresholdOf(l))}; {f.Labelled:N0} labelled leads, {f.WindowText})"
            : $"realised ROC AUC {F(realised.Value)} in {f.Scope} is within tolerance of the held-out {F(reference.Value)} ({f.WindowText})";
        return new RuleVerdict(rule, f.Scope, f.Model, level is not null, level ?? LowestLevel(rule), summary, values);
    }

    private static RuleVerdict? ConversionDrop(AlertRule rule, RunFigures f)
    {
        if (!f.Mature || f.Get("positive_rate") is not { } realised || f.Get("reference_positive_rate") is not { Value: > 0 and < 1 } reference
            || f.Labelled < Math.Max(1, rule.MinimumCount))
        {
            return null;
        }

        var expected = reference.Value;
        var drop = (expected - realised.Value) / expected;
        // One-sided test of the realised rate against the training rate: a daily window's rate wanders by chance, a
        // 10 % drop on a few hundred leads is often noise.
        var z = (realised.Value - expected) / Math.Sqrt(expected * (1 - expected) / f.Labelled);
        var pValue = Normal.CDF(0, 1, z);
        var level = rule.LevelOf(drop);
        var breached = level is not null && pValue <= rule.MaxPValue;
        var values = f.Context();
        values["conversion_rate"] = realised.Value;
        values["reference_conversion_rate"] = expected;
        values["relative_drop"] = drop;
        values["p_value"] = pValue;
        values["labelled"] = f.Labelled;
        values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Warning);
        var summary = breached
            ? $"conversion rate {P(realised.Value)} in {f.Scope} is {P(drop)} below the training rate {P(expected)} (p = {pValue:0.####}, {f.Labelled:N0} labelled leads, {f.WindowText})"
            : $"conversion rate {P(realised.Value)} in {f.Scope} against the training rate {P(expected)}: no significant drop ({f.WindowText})";
        return new RuleVerdict(rule, f.Scope, f.Model, breached, level ?? LowestLevel(rule), summary, values);
    }

    private static RuleVerdict? Retraining(AlertRule rule, RunFigures f)
    {
        if (f.Get("dataset_drift") is not { } dataset)
        {
            return null;
        }

        var reasons = new List<string>();
        if (dataset.Value >= 1)
        {
            reasons.Add($"dataset drift ({F(f.Get("drifted_features")?.Value ?? 0)} features drifted)");
        }

        if (f.Mature && f.Get("roc_auc") is { } realised && f.Get("reference_roc_auc") is { } reference && reference.Value - realised.Value > RetrainingAucDrop)
        {
            reasons.Add($"realised ROC AUC {F(realised.Value)} below the held-out {F(reference.Value)}");
        }

        var values = f.Context();
        values["dataset_drift"] = dataset.Value;
        values["drifted_features"] = f.Get("drifted_features")?.Value;
        values["roc_auc"] = f.Get("roc_auc")?.Value;
        values["reference_roc_auc"] = f.Get("reference_roc_auc")?.Value;
        var summary = reasons.Count > 0
            ? $"retraining recommended for {f.Scope}: {string.Join("; ", reasons)} ({f.WindowText})"
            : $"no reason to retrain {f.Scope} any more ({f.WindowText})";
        return new RuleVerdict(rule, f.Scope, f.Model, reasons.Count > 0, rule.Level, summary, values);
    }

    private static AlertLevel LowestLevel(AlertRule rule) => rule.Warning is not null ? AlertLevel.Warning : rule.Critical is not null ? AlertLevel.Critical : rule.Level;

    private static string F(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "?";

    private static string P(double value) => value.ToString("0.#%", CultureInfo.InvariantCulture);

    // A run's figures by (metric, feature), and the context every verdict carries.
    private sealed class RunFigures
    {
        private readonly MonitoringRunDetail _run;
        private readonly Dictionary<(string Metric, string? Feature), MonitoringFigure> _figures = [];

        public RunFigures(MonitoringRunDetail run)
        {
            _run = run;
            foreach (var figure in run.Figures)
            {
                _figures[(figure.Metric, figure.Feature)] = figure;
            }

            var stored = run.Run.Run;
            Model = stored.ModelName;
            Scope = $"{stored.ModelName}/{stored.Arm ?? "all"}";
            WindowText = $"{stored.Kind} window {stored.WindowFrom.UtcDateTime:yyyy-MM-dd HH:mm} to {stored.WindowTo.UtcDateTime:yyyy-MM-dd HH:mm} UTC, v{stored.ModelVersion?.ToString(CultureInfo.InvariantCulture) ?? "all"}";
            Mature = Get("labels_mature")?.Value >= 1;
            Labelled = (long)(Get("labelled")?.Value ?? 0);
        }

        public string Model { get; }

        public string Scope { get; }

        public string WindowText { get; }

        public bool Mature { get; }

        public long Labelled { get; }

        public MonitoringFigure? Get(string metric, string? feature = null) => _figures.GetValueOrDefault((metric, feature));

        public IEnumerable<MonitoringFigure> All(string metric) => _run.Figures.Where(f => f.Metric == metric && f.Feature is not null);

        public Dictionary<string, object?> Context()
        {
            var stored = _run.Run.Run;
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["monitoring_run"] = _run.Run.Id,
                ["kind"] = stored.Kind,
                ["version"] = stored.ModelVersion,
                ["arm"] = stored.Arm,
                ["window_from"] = stored.WindowFrom,
                ["window_to"] = stored.WindowTo,
                ["leads"] = Get("leads")?.Value,
            };
        }
    }
}
