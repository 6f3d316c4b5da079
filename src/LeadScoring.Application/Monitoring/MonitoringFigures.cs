using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Statistics;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// The figures a monitoring run stores for plotting its history and for alerting: per feature drift and quality,
/// model-wide drift, prediction drift, performance (realised, or "partial_" while labels are immature, and the
/// estimate), business and operations. Names are documented in docs/monitoring.md. Non-finite values are left out.
/// </summary>
public static class MonitoringFigures
{
    /// <summary>Prefix of a realised figure whose window's labels have not matured yet (its outcomes are still arriving).</summary>
    public const string PartialPrefix = "partial_";

    /// <summary>
    /// What the version promised at registration, beside each window's figures so a rule or a chart compares a
    /// window with it without opening the package: its held-out ROC AUC and its training conversion rate.
    /// </summary>
    public static List<MonitoringFigure> Reference(double? trainingRocAuc, double? trainingPositiveRate)
    {
        var figures = new FigureList();
        if (trainingRocAuc is { } auc)
        {
            figures.Add("reference_roc_auc", null, auc);
        }

        if (trainingPositiveRate is { } rate)
        {
            figures.Add("reference_positive_rate", null, rate);
        }

        return figures.Items;
    }

    /// <summary>The figures of <paramref name="report"/>; realised ones prefixed <see cref="PartialPrefix"/> unless <paramref name="labelsMature"/>.</summary>
    public static List<MonitoringFigure> Of(WindowReport report, bool labelsMature)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = new FigureList();
        string Realised(string name) => labelsMature ? name : PartialPrefix + name;

        figures.Add("leads", null, report.Count);
        figures.Add("labelled", null, report.Labelled);
        figures.Add("labels_mature", null, labelsMature ? 1 : 0);
        foreach (var drift in report.DataDrift)
        {
            AddDrift(figures, drift);
        }

        foreach (var quality in report.DataQuality)
        {
            AddQuality(figures, quality);
        }

        figures.Add("quality_failed_features", null, report.DataQuality.Count(q => q.Verdict == QualityVerdict.Failed), verdict: report.QualityFailed ? "failed" : "ok");
        if (report.DriftSummary is { } summary)
        {
            figures.Add("overall_psi", null, summary.OverallPsi, verdict: Severity(summary.Severity));
            figures.Add("max_psi", null, summary.MaxPsi);
            figures.Add("drifted_features", null, summary.DriftedFeatures);
            figures.Add("drifted_share", null, summary.DriftedShare);
            figures.Add("dataset_drift", null, summary.DatasetDrifted ? 1 : 0, verdict: summary.DatasetDrifted ? "drifted" : "stable");
        }

        var prediction = report.Prediction;
        if (prediction.ScoreDrift is { } scoreDrift)
        {
            figures.Add("score_psi", null, scoreDrift.Psi.Statistic, verdict: Severity(scoreDrift.Severity));
        }

        figures.Add("mean_score", null, prediction.MeanScore);
        foreach (var band in prediction.Bands)
        {
            figures.Add("band_share", band.Band, band.Share);
        }

        if (report.Performance.Realised is { } realised)
        {
            figures.Add(Realised("roc_auc"), null, realised.RocAuc);
            figures.Add(Realised("pr_auc"), null, realised.PrAuc);
            figures.Add(Realised("precision"), null, realised.AtThreshold.Precision);
            figures.Add(Realised("recall"), null, realised.AtThreshold.Recall);
            figures.Add(Realised("brier"), null, realised.Brier);
            figures.Add(Realised("ece"), null, realised.ExpectedCalibrationError);
            figures.Add(Realised("positive_rate"), null, (double)realised.Conversions / realised.Labelled);
        }

        if (report.Performance.Estimated is { } estimated)
        {
            figures.Add("estimated_roc_auc", null, estimated.RocAuc);
            figures.Add("estimated_precision", null, estimated.Precision);
            figures.Add("estimated_recall", null, estimated.Recall);
            figures.Add("estimated_f1", null, estimated.F1);
            figures.Add("estimated_positive_rate", null, estimated.PositiveRate);
        }

        var business = report.Business;
        foreach (var band in business.ByBand.Where(b => b.Labelled > 0))
        {
            figures.Add(Realised("conversion_rate"), band.Band, band.ConversionRate);
            figures.Add(Realised("revenue_per_lead"), band.Band, band.RevenuePerLead);
        }

        if (business.AtCapacity.Labelled > 0)
        {
            figures.Add(Realised("precision_at_capacity"), null, business.AtCapacity.Precision);
            figures.Add(Realised("base_rate"), null, business.AtCapacity.BaseRate);
            figures.Add(Realised("lift"), null, business.AtCapacity.Lift);
        }

        if (business.LiftByDecile.Count > 0)
        {
            figures.Add(Realised("top_decile_lift"), null, business.LiftByDecile[0].Lift);
        }

        return figures.Items;
    }

    /// <summary>
    /// The gap between the estimate and the realised figures of a window whose labels matured: estimated − realised
    /// ROC AUC and positive rate. Data drift alone leaves both near 0; concept drift opens them. Empty when either
    /// side is missing.
    /// </summary>
    public static List<MonitoringFigure> Gap(WindowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = new FigureList();
        if (report.Performance is { Realised: { } realised, Estimated: { } estimated })
        {
            figures.Add("auc_gap", null, estimated.RocAuc - realised.RocAuc);
            figures.Add("positive_rate_gap", null, estimated.PositiveRate - ((double)realised.Conversions / realised.Labelled));
        }

        return figures.Items;
    }

    /// <summary>The operations figures of a scope: logged requests, throughput, latency, and errors where counted.</summary>
    public static List<MonitoringFigure> Of(MonitoringRunOperations operations, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var figures = new FigureList();
        figures.Add("requests", null, operations.Requests);
        figures.Add("requests_per_minute", null, operations.Requests / window.TotalMinutes);
        figures.Add("latency_p50_ms", null, operations.LatencyP50Milliseconds);
        figures.Add("latency_p95_ms", null, operations.LatencyP95Milliseconds);
        figures.Add("latency_p99_ms", null, operations.LatencyP99Milliseconds);
        if (operations.CountedRequests is > 0 and var counted)
        {
            figures.Add("errors", null, operations.Errors ?? 0);
            figures.Add("error_rate", null, (double)(operations.Errors ?? 0) / counted);
        }

        return figures.Items;
    }

    /// <summary>The PSI band as a verdict word.</summary>
    public static string Severity(DriftSeverity severity) => severity switch
    {
        DriftSeverity.Critical => "critical",
        DriftSeverity.Warning => "warning",
        _ => "ok",
    };

    private static void AddDrift(FigureList figures, FeatureDriftVerdict drift)
    {
        var verdict = drift.Verdict switch
        {
            DriftVerdict.Drifted => "drifted",
            DriftVerdict.Stable => "stable",
            _ => "insufficient_data",
        };
        figures.Add("drifted", drift.Feature, drift.Verdict == DriftVerdict.Drifted ? 1 : 0, verdict: verdict);
        if (drift.Report is not { } report)
        {
            return;
        }

        figures.Add("psi", drift.Feature, report.Psi.Statistic, verdict: Severity(report.Severity));
        if (report.Results.FirstOrDefault(r => r.Method == DriftMethod.KullbackLeibler) is { } kl)
        {
            figures.Add("kl", drift.Feature, kl.Statistic, verdict: kl.Drifted ? "drifted" : "ok");
        }

        if (report.Results.FirstOrDefault(r => r.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare or DriftMethod.TwoProportionZ) is { } test)
        {
            figures.Add("test_statistic", drift.Feature, test.Statistic, Probability(drift.PValue ?? test.PValue));
        }

        if (drift.AdjustedPValue is double adjusted)
        {
            figures.Add("adjusted_p_value", drift.Feature, adjusted, Probability(adjusted));
        }

        figures.Add("effect_size", drift.Feature, drift.EffectSize);
    }

    private static void AddQuality(FigureList figures, FeatureQuality quality)
    {
        var verdict = quality.Verdict switch
        {
            QualityVerdict.Failed => "failed",
            QualityVerdict.Ok => "ok",
            _ => "insufficient_data",
        };
        figures.Add("quality", quality.Feature, quality.Verdict == QualityVerdict.Failed ? 1 : 0, verdict: verdict);
        figures.Add("missing_rate", quality.Feature, quality.MissingRate);
        figures.Add("zero_rate", quality.Feature, quality.ZeroRate);
        figures.Add("out_of_range_rate", quality.Feature, quality.OutOfRangeRate);
        figures.Add("unseen_category_rate", quality.Feature, quality.UnseenCategoryRate);
    }

    private static double? Probability(double? p) => p is double value && double.IsFinite(value) ? Math.Clamp(value, 0, 1) : null;

    // Leaves out what could not be computed (null or not finite): the store keeps finite figures only.
    private sealed class FigureList
    {
        public List<MonitoringFigure> Items { get; } = [];

        public void Add(string metric, string? feature, double? value, double? pValue = null, string? verdict = null)
        {
            if (value is double v && double.IsFinite(v))
            {
                Items.Add(new MonitoringFigure(metric, feature, v, pValue, verdict));
            }
        }
    }
}
