using System.Globalization;

namespace LeadScoring.Core.Monitoring.Investigation;

/// <summary>The likely reason the scores stopped helping.</summary>
public enum RootCause
{
    /// <summary>No check found a problem.</summary>
    None,

    /// <summary>The data reaching the model is broken (a feature's quality failed) or the outcomes feed is not arriving.</summary>
    IntegrationIssue,

    /// <summary>The leads changed (drifted features) and the model's performance with them.</summary>
    DataDrift,

    /// <summary>The leads look the same but convert differently: realised performance fell below what the scores promise.</summary>
    ConceptDrift,

    /// <summary>The model itself: a recent change of the served model, or scores no longer calibrated, without drift.</summary>
    ModelIssue,

    /// <summary>Too little data in the period to conclude anything.</summary>
    InsufficientData,
}

/// <summary>How a check came out.</summary>
public enum FindingStatus
{
    /// <summary>Within tolerance.</summary>
    Ok,

    /// <summary>Worth a look, not a cause by itself.</summary>
    Warning,

    /// <summary>A problem.</summary>
    Problem,

    /// <summary>Could not be checked (no data).</summary>
    Unknown,
}

/// <summary>One checklist item's result, with the numbers behind it.</summary>
/// <param name="Check">The checklist item ("service_health", "data_quality", …).</param>
/// <param name="Status">How it came out.</param>
/// <param name="Summary">The result in a sentence.</param>
/// <param name="Evidence">The figures it rests on, one per line.</param>
public sealed record Finding(string Check, FindingStatus Status, string Summary, IReadOnlyList<string> Evidence);

/// <summary>The checklist's findings, the likely root cause and what to do.</summary>
/// <param name="Findings">One finding per checklist item, in checklist order.</param>
/// <param name="Cause">The likely root cause.</param>
/// <param name="Explanation">Why that cause, naming the evidence (the most consequential feature first for drift).</param>
/// <param name="Action">The recommended action.</param>
public sealed record InvestigationResult(IReadOnlyList<Finding> Findings, RootCause Cause, string Explanation, string Action);

/// <summary>Tolerances of the checklist.</summary>
/// <param name="AucDrop">Realised ROC AUC this far below training (absolute) is a performance problem.</param>
/// <param name="EstimateGap">Estimated minus realised ROC AUC beyond this means the scores' promise no longer holds (concept drift).</param>
/// <param name="EceLimit">Realised ECE above this (and above twice the training ECE) is a calibration problem.</param>
/// <param name="MinimumLabelledShare">Mature leads with an outcome below this share: the outcomes feed is not arriving.</param>
/// <param name="TrafficDrop">Scored leads falling by more than this share against the period before is a traffic problem.</param>
/// <param name="ErrorRateLimit">Server errors above this share of requests.</param>
public sealed record InvestigationTolerances(
    double AucDrop = 0.05,
    double EstimateGap = 0.05,
    double EceLimit = 0.05,
    double MinimumLabelledShare = 0.05,
    double TrafficDrop = 0.5,
    double ErrorRateLimit = 0.01)
{
    /// <summary>The defaults.</summary>
    public static InvestigationTolerances Default { get; } = new();
}

/// <summary>
/// The seed's checklist for "the scores no longer help us prioritise leads", run on gathered evidence: service
/// health, recent changes, the outcomes feed, data quality, drift per feature, conversion by band against training,
/// realised and estimated performance, calibration, precision at capacity, and a running comparison. The cause is
/// decided in this order, because each earlier cause makes the later checks unreliable: a broken pipeline or a
/// missing outcomes feed (integration); realised performance below both training and the label-free estimate, whose
/// gap drift cannot explain (concept drift); drifted features (data drift, most consequential first); a recent change
/// of the served model or lost calibration without drift (model issue); otherwise none.
/// </summary>
public static class Investigator
{
    /// <summary>Runs the checklist.</summary>
    public static InvestigationResult Investigate(InvestigationEvidence evidence, InvestigationTolerances? tolerances = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var t = tolerances ?? InvestigationTolerances.Default;
        var report = evidence.Current;
        var realised = report?.Performance.Realised;
        var estimated = report?.Performance.Estimated;
        var findings = new List<Finding>
        {
            ServiceHealth(evidence.Service, t),
            Changes(evidence.Changes, evidence.Days),
            OutcomesFeed(evidence.Outcomes, t),
            DataQuality(report),
            Drift(report),
            BandConversion(report, evidence.Training),
            Performance(realised, estimated, evidence.Training, t),
            Calibration(realised, evidence.Training, t),
            Capacity(report),
        };
        if (evidence.Shadow is { } shadow)
        {
            findings.Add(Comparison(shadow));
        }

        var (cause, explanation, action) = Decide(evidence, t);
        return new InvestigationResult(findings, cause, explanation, action);
    }

    private static (RootCause, string, string) Decide(InvestigationEvidence e, InvestigationTolerances t)
    {
        var report = e.Current;
        if (report is null || report.Count == 0)
        {
            return (RootCause.InsufficientData, $"no lead was scored in the last {e.Days} days", "check that the CRM sends leads to /score-lead; nothing can be judged without traffic");
        }

        var broken = report.DataQuality.Where(q => q.Verdict == QualityVerdict.Failed).ToList();
        if (broken.Count > 0)
        {
            var first = broken[0];
            return (RootCause.IntegrationIssue,
                $"data quality failed on {Join(broken.Select(b => b.Feature))}: {(first.Problems.Count > 0 ? first.Problems[0] : "rates beyond their limits")}",
                $"fix the pipeline that fills {first.Feature} (the model is scoring broken inputs); drift and performance figures are unreliable until it is fixed");
        }

        if (e.Outcomes.MatureLabelledShare is { } share && share < t.MinimumLabelledShare)
        {
            return (RootCause.IntegrationIssue,
                $"only {Percent(share)} of the {e.Outcomes.MatureLeads:N0} leads old enough to have an outcome have one ({e.Outcomes.Received:N0} outcomes received in {e.Days} days)",
                "check the CRM's outcome feed (POST /outcomes): without outcomes the performance cannot be measured");
        }

        var realised = report.Performance.Realised;
        var estimated = report.Performance.Estimated;
        var drifted = report.DriftedFeatures;
        if (realised is not null && e.Training.RocAuc is { } trainingAuc && estimated is not null
            && trainingAuc - realised.RocAuc > t.AucDrop && estimated.RocAuc - realised.RocAuc > t.EstimateGap)
        {
            return (RootCause.ConceptDrift,
                $"realised ROC AUC {F(realised.RocAuc)} against {F(trainingAuc)} at training, while the label-free estimate still says {F(estimated.RocAuc)}" +
                (drifted.Count == 0 ? " and no feature drifted" : $" (drifted features explain little: {Join(drifted)})") +
                ": the same kind of leads now convert differently",
                "retrain on recent leads with their outcomes (leadscore retrain), then test the candidate in shadow");
        }

        if (drifted.Count > 0)
        {
            var ranked = DriftedByImpact(report);
            var top = report.DataDrift.First(d => d.Feature == ranked[0]);
            var impact = report.DriftedFeaturesByImpact.FirstOrDefault(i => i.Feature == top.Feature);
            return (RootCause.DataDrift,
                $"{Join(ranked)} drifted; {top.Feature} first ({top.Reason}" +
                (impact is null ? ")" : $"; estimated AUC change {F(impact.AucChange)})"),
                $"confirm the change in {top.Feature} with sales-ops (a new source or campaign?); retrain on recent leads if it persists");
        }

        var servedChange = e.Changes.LastOrDefault(c => c.ChangesServedModel);
        var lowAuc = realised is not null && e.Training.RocAuc is { } auc && auc - realised.RocAuc > t.AucDrop;
        if (servedChange is not null && lowAuc)
        {
            return (RootCause.ModelIssue,
                $"the served model changed ({servedChange.What}, {servedChange.At:yyyy-MM-dd}) and realised ROC AUC is {F(realised!.RocAuc)} against {F(e.Training.RocAuc!.Value)} at training",
                "roll back to the previous version (leadscore rollback) and compare the two in shadow");
        }

        if (realised is not null && realised.ExpectedCalibrationError > t.EceLimit && realised.ExpectedCalibrationError > 2 * (e.Training.Ece ?? 0))
        {
            return (RootCause.ModelIssue,
                $"scores are no longer calibrated: ECE {F(realised.ExpectedCalibrationError)} against {F(e.Training.Ece ?? double.NaN)} at training, without drifted features",
                "recalibrate or retrain; bands and thresholds read the scores as probabilities");
        }

        if (lowAuc)
        {
            return (RootCause.ModelIssue,
                $"realised ROC AUC {F(realised!.RocAuc)} against {F(e.Training.RocAuc!.Value)} at training, with no drift and no gap to the estimate",
                "retrain and compare against the current model in shadow");
        }

        return (RootCause.None,
            realised is null
                ? $"no problem found in {report.Count:N0} leads; realised performance is not measurable yet ({report.Performance.RealisedNote})"
                : $"no problem found: realised ROC AUC {F(realised.RocAuc)} (training {F(e.Training.RocAuc ?? double.NaN)}), no drift, data quality ok",
            "nothing to fix in the model; look at how leads are worked (precision at capacity is in the findings)");
    }

    private static Finding ServiceHealth(ServiceEvidence s, InvestigationTolerances t)
    {
        var evidence = new List<string> { $"leads scored: {s.ScoredLeads:N0} (period before: {s.ScoredLeadsBefore:N0})" };
        if (s.ErrorRate is { } rate)
        {
            evidence.Add($"server errors: {s.Errors:N0} of {s.Requests:N0} requests ({Percent(rate)})");
        }

        if (s.ErrorRate > t.ErrorRateLimit)
        {
            return new("service_health", FindingStatus.Problem, $"error rate {Percent(s.ErrorRate.Value)} is above {Percent(t.ErrorRateLimit)}", evidence);
        }

        if (s.ScoredLeads == 0)
        {
            return new("service_health", FindingStatus.Problem, "no lead was scored in the period", evidence);
        }

        var dropped = s.ScoredLeadsBefore > 0 && s.ScoredLeads < (1 - t.TrafficDrop) * s.ScoredLeadsBefore;
        return dropped
            ? new("service_health", FindingStatus.Warning, $"traffic fell from {s.ScoredLeadsBefore:N0} to {s.ScoredLeads:N0} leads", evidence)
            : new("service_health", FindingStatus.Ok, "the service scored leads normally", evidence);
    }

    private static Finding Changes(IReadOnlyList<ChangeEvidence> changes, int days) =>
        changes.Count == 0
            ? new("recent_changes", FindingStatus.Ok, $"no model or deployment change in the last {days} days", [])
            : new("recent_changes", changes.Any(c => c.ChangesServedModel) ? FindingStatus.Warning : FindingStatus.Ok,
                $"{changes.Count} change(s) in the last {days} days", changes.Select(c => $"{c.At:yyyy-MM-dd HH:mm}: {c.What}").ToList());

    private static Finding OutcomesFeed(OutcomeEvidence o, InvestigationTolerances t)
    {
        var evidence = new List<string>
        {
            $"outcomes received: {o.Received:N0}",
            $"mature leads with an outcome: {o.MatureLabelled:N0} of {o.MatureLeads:N0}",
            $"P90 conversion delay: {(o.DelayP90 is { } d ? $"{d.TotalDays:0.#} days" : "unknown")}",
        };
        return o.MatureLabelledShare switch
        {
            null => new("outcomes_feed", FindingStatus.Unknown, "no lead is old enough yet for its outcome to be expected", evidence),
            var s when s < t.MinimumLabelledShare => new("outcomes_feed", FindingStatus.Problem, $"outcomes are missing: {Percent(s.Value)} of mature leads have one", evidence),
            var s => new("outcomes_feed", FindingStatus.Ok, $"{Percent(s.Value)} of mature leads have an outcome", evidence),
        };
    }

    private static Finding DataQuality(WindowReport? report)
    {
        if (report is null || report.Count == 0)
        {
            return new("data_quality", FindingStatus.Unknown, "no scored leads to check", []);
        }

        var failed = report.DataQuality.Where(q => q.Verdict == QualityVerdict.Failed).ToList();
        return failed.Count == 0
            ? new("data_quality", FindingStatus.Ok, "every feature within its quality limits", [])
            : new("data_quality", FindingStatus.Problem, $"quality failed on {Join(failed.Select(f => f.Feature))}", failed.SelectMany(f => f.Problems.Select(p => $"{f.Feature}: {p}")).ToList());
    }

    private static Finding Drift(WindowReport? report)
    {
        if (report is null || report.InsufficientData)
        {
            return new("data_drift", FindingStatus.Unknown, "too few leads to judge drift", []);
        }

        var evidence = report.DataDrift.Where(d => d.Report is not null)
            .OrderByDescending(d => d.Verdict == DriftVerdict.Drifted).ThenByDescending(d => d.Psi)
            .Select(d => $"{d.Feature}: {d.Verdict.ToString().ToLowerInvariant()}, PSI {F(d.Psi)}{(d.AdjustedPValue is { } p ? $", adjusted p {p.ToString("G3", CultureInfo.InvariantCulture)}" : "")}")
            .ToList();
        var drifted = report.DriftedFeatures;
        return drifted.Count == 0
            ? new("data_drift", FindingStatus.Ok, "no feature drifted", evidence)
            : new("data_drift", FindingStatus.Problem, $"{drifted.Count} feature(s) drifted: {Join(DriftedByImpact(report))}", evidence);
    }

    private static Finding BandConversion(WindowReport? report, TrainingEvidence training)
    {
        if (report is null || report.Labelled == 0)
        {
            return new("conversion_by_band", FindingStatus.Unknown, "no outcomes in the period to compare with training", []);
        }

        var evidence = report.Business.ByBand.Where(b => b.Labelled > 0)
            .Select(b => $"{b.Band}: {Percent(b.ConversionRate)} now ({b.Labelled:N0} labelled), {(training.ConversionByBand.TryGetValue(b.Band, out var then) ? Percent(then) : "unknown")} at training")
            .ToList();
        var ordered = report.Business.ByBand.Where(b => b.Labelled >= 30).ToList();
        var inverted = training.ConversionByBand.Count > 0 && ordered.Any(a => ordered.Any(b =>
            training.ConversionByBand.TryGetValue(a.Band, out var ta) && training.ConversionByBand.TryGetValue(b.Band, out var tb) && ta > tb && a.ConversionRate < b.ConversionRate));
        return inverted
            ? new("conversion_by_band", FindingStatus.Problem, "bands no longer rank conversions the way they did at training", evidence)
            : new("conversion_by_band", FindingStatus.Ok, "higher bands still convert more", evidence);
    }

    private static Finding Performance(RealisedPerformance? realised, Statistics.PerformanceMetrics? estimated, TrainingEvidence training, InvestigationTolerances t)
    {
        var evidence = new List<string> { $"training ROC AUC: {F(training.RocAuc ?? double.NaN)}" };
        if (estimated is not null)
        {
            evidence.Add($"estimated ROC AUC (CBPE, label-free): {F(estimated.RocAuc)}");
        }

        if (realised is null)
        {
            return new("performance", FindingStatus.Unknown, "realised performance not measurable yet", evidence);
        }

        evidence.Add($"realised ROC AUC: {F(realised.RocAuc)} on {realised.Labelled:N0} labelled leads; PR AUC {F(realised.PrAuc)}");
        var low = training.RocAuc is { } auc && auc - realised.RocAuc > t.AucDrop;
        var gap = estimated is not null && estimated.RocAuc - realised.RocAuc > t.EstimateGap;
        return (low, gap) switch
        {
            (true, true) => new("performance", FindingStatus.Problem, "realised performance fell below training and below the estimate", evidence),
            (true, false) => new("performance", FindingStatus.Problem, "realised performance fell below training", evidence),
            (false, true) => new("performance", FindingStatus.Warning, "realised performance is below the estimate", evidence),
            _ => new("performance", FindingStatus.Ok, "realised performance is in line with training", evidence),
        };
    }

    private static Finding Calibration(RealisedPerformance? realised, TrainingEvidence training, InvestigationTolerances t)
    {
        if (realised is null)
        {
            return new("calibration", FindingStatus.Unknown, "not measurable yet", []);
        }

        var evidence = new List<string> { $"ECE {F(realised.ExpectedCalibrationError)} now, {F(training.Ece ?? double.NaN)} at training" };
        return realised.ExpectedCalibrationError > t.EceLimit && realised.ExpectedCalibrationError > 2 * (training.Ece ?? 0)
            ? new("calibration", FindingStatus.Problem, "scores are no longer calibrated", evidence)
            : new("calibration", FindingStatus.Ok, "scores are calibrated", evidence);
    }

    private static Finding Capacity(WindowReport? report)
    {
        if (report is null || report.Business.AtCapacity.Labelled == 0)
        {
            return new("precision_at_capacity", FindingStatus.Unknown, "no outcomes among the daily top leads yet", []);
        }

        var c = report.Business.AtCapacity;
        var evidence = new List<string> { $"top {c.Capacity} per day over {c.Days} days: {c.Conversions:N0} of {c.Labelled:N0} converted ({Percent(c.Precision)}), base rate {Percent(c.BaseRate)}, lift {F(c.Lift)}" };
        return c.Lift < 1.2
            ? new("precision_at_capacity", FindingStatus.Problem, "the daily top leads convert barely better than random ones", evidence)
            : new("precision_at_capacity", FindingStatus.Ok, $"the daily top leads convert {F(c.Lift)} times the base rate", evidence);
    }

    private static Finding Comparison(ShadowEvidence s) =>
        new("challenger_comparison", FindingStatus.Ok,
            $"{s.Mode} deployment {s.DeploymentId}: v{s.ChallengerVersion} runs beside the champion; the analysis says {s.Recommendation}",
            [$"champion realised ROC AUC: {F(s.ChampionAuc ?? double.NaN)}", $"challenger realised ROC AUC: {F(s.ChallengerAuc ?? double.NaN)}"]);

    // Drifted features, those with an estimated impact first (largest first), then any the estimate could not rank.
    private static List<string> DriftedByImpact(WindowReport report) =>
        report.DriftedFeaturesByImpact.Select(i => i.Feature).Concat(report.DriftedFeatures).Distinct(StringComparer.Ordinal).ToList();

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "unknown";

    private static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<string> names) => string.Join(", ", names);
}
