using LeadScoring.Core.Profiles;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>
/// Analyses one window of scored leads against the model's reference profile: data drift and quality per
/// feature, prediction drift, realised and estimated performance, business figures, and the drifted features
/// ranked by estimated effect on performance. Pure: the caller reads the window and stores the report.
/// </summary>
public static class WindowMonitor
{
    /// <summary>The full report of a window.</summary>
    public static WindowReport Analyze(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var drift = DataDriftAnalyzer.Analyze(reference, window, options);
        var labelled = window.Converted.LongCount(c => c.HasValue);
        return new WindowReport(
            window.Count,
            labelled,
            drift,
            Summarise(drift, options.Drift),
            DataQualityAnalyzer.Analyze(reference, window, options),
            PredictionDriftReport.Of(reference, window, options),
            PerformanceReport.Of(window, options),
            BusinessReport.Of(window, options),
            DriftImpact.Rank(reference, window, drift, options));
    }

    /// <summary>
    /// <see cref="DriftSummary.Of"/>'s figures, but counting this monitor's verdicts (Benjamini–Hochberg, trimmed
    /// Wasserstein) as drifted rather than the raw decisions, so the summary never disagrees with the features.
    /// </summary>
    private static DriftSummary? Summarise(IReadOnlyList<FeatureDriftVerdict> drift, DriftOptions options)
    {
        var measured = drift.Where(d => d.Report is not null).ToList();
        if (measured.Count == 0)
        {
            return null;
        }

        var raw = DriftSummary.Of(measured.Select(d => d.Report!).ToList(), options);
        var drifted = measured.Count(d => d.Verdict == DriftVerdict.Drifted);
        var share = (double)drifted / measured.Count;
        return raw with { DriftedFeatures = drifted, DriftedShare = share, DatasetDrifted = share >= options.DatasetDriftShare };
    }
}
