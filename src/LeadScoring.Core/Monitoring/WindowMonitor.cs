using System.Runtime.ExceptionServices;
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
    public static WindowReport Analyze(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options) =>
        Report(reference, window, options, parallel: true);

    /// <summary>The report, its parts computed one after the other unless <paramref name="parallel"/> (the same report either way).</summary>
    internal static WindowReport Report(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The parts read the window and share nothing else, so they run in parallel (drift then its impact ranking
        // in one branch); each result lands in its own variable, so the report is the same as computed one by one.
        IReadOnlyList<FeatureDriftVerdict> drift = [];
        IReadOnlyList<FeatureImpact> impact = [];
        IReadOnlyList<FeatureQuality> quality = [];
        PredictionDriftReport? prediction = null;
        PerformanceReport? performance = null;
        BusinessReport? business = null;
        long labelled = 0;
        Action[] parts =
        [
            () =>
            {
                drift = DataDriftAnalyzer.Verdicts(reference, window, options, parallel);
                impact = DriftImpact.Rank(reference, window, drift, options);
            },
            () => performance = PerformanceReport.Of(window, options),
            () => business = BusinessReport.Of(window, options),
            () => quality = DataQualityAnalyzer.Analyze(reference, window, options),
            () =>
            {
                prediction = PredictionDriftReport.Of(reference, window, options);
                labelled = window.Converted.LongCount(c => c.HasValue);
            },
        ];
        if (parallel)
        {
            try
            {
                Parallel.Invoke(parts);
            }
            catch (AggregateException e)
            {
                // A part's own exception, as computed one by one, not wrapped (the first when several parts threw).
                ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
            }
        }
        else
        {
            foreach (var part in parts)
            {
                part();
            }
        }

        return new WindowReport(
            window.Count,
            labelled,
            drift,
            Summarise(drift, options.Drift),
            quality,
            prediction!,
            performance!,
            business!,
            impact);
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
