using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>Metrics measured on the window's leads whose outcome is known.</summary>
/// <param name="Labelled">Leads with a known outcome.</param>
/// <param name="Conversions">Converted among them.</param>
/// <param name="RocAuc">ROC AUC.</param>
/// <param name="PrAuc">Average precision (area under the precision–recall curve, scikit-learn's definition).</param>
/// <param name="AtThreshold">Confusion counts, precision, recall and F1 at the threshold.</param>
/// <param name="Brier">Mean squared error of the scores.</param>
/// <param name="Calibration">Equal-width calibration table (empty bins omitted).</param>
/// <param name="ExpectedCalibrationError">Σ count/N · |mean score − observed rate|.</param>
public sealed record RealisedPerformance(
    long Labelled,
    long Conversions,
    double RocAuc,
    double PrAuc,
    ThresholdMetrics AtThreshold,
    double Brier,
    IReadOnlyList<CalibrationBin> Calibration,
    double ExpectedCalibrationError);

/// <summary>Realised performance where outcomes are known, and the CBPE estimate for the whole window.</summary>
/// <param name="Realised">Null when fewer labelled leads than the minimum sample size, or only one outcome among them (see <paramref name="RealisedNote"/>).</param>
/// <param name="RealisedNote">Why <paramref name="Realised"/> is missing; null when present.</param>
/// <param name="Estimated">CBPE over every scored lead (valid while scores stay calibrated); null for an empty window or one where every score is 0 or 1.</param>
public sealed record PerformanceReport(RealisedPerformance? Realised, string? RealisedNote, PerformanceMetrics? Estimated)
{
    /// <summary>Measures and estimates the window's performance.</summary>
    public static PerformanceReport Of(MonitoringWindowData window, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        var estimated = Estimate(window.Scores, options.Threshold);
        var (labels, scores) = Labelled(window);
        var conversions = labels.LongCount(l => l);
        if (labels.Length < options.MinimumSampleSize)
        {
            return new PerformanceReport(null, $"insufficient data: {labels.Length} leads with a known outcome, at least {options.MinimumSampleSize} needed", estimated);
        }

        if (conversions == 0 || conversions == labels.Length)
        {
            return new PerformanceReport(null, $"all {labels.Length} known outcomes are {(conversions == 0 ? "non-conversions" : "conversions")}; ranking metrics need both", estimated);
        }

        var calibration = ClassificationMetrics.Calibration(labels, scores, options.CalibrationBins);
        var realised = new RealisedPerformance(
            labels.Length,
            conversions,
            ClassificationMetrics.RocAuc(labels, scores),
            ClassificationMetrics.AveragePrecision(labels, scores),
            ClassificationMetrics.AtThreshold(labels, scores, options.Threshold),
            ClassificationMetrics.Brier(labels, scores),
            calibration,
            ClassificationMetrics.ExpectedCalibrationError(calibration));
        return new PerformanceReport(realised, null, estimated);
    }

    /// <summary>The labelled leads' outcomes and scores.</summary>
    internal static (bool[] Labels, double[] Scores) Labelled(MonitoringWindowData window)
    {
        var count = 0;
        foreach (var c in window.Converted)
        {
            count += c.HasValue ? 1 : 0;
        }

        var labels = new bool[count];
        var scores = new double[count];
        var k = 0;
        for (var i = 0; i < window.Count; i++)
        {
            if (window.Converted[i] is { } converted)
            {
                labels[k] = converted;
                scores[k++] = window.Scores[i];
            }
        }

        return (labels, scores);
    }

    private static PerformanceMetrics? Estimate(double[] scores, double threshold)
    {
        // CBPE needs some expected conversions and some expected non-conversions.
        bool anyAboveZero = false, anyBelowOne = false;
        foreach (var s in scores)
        {
            anyAboveZero |= s > 0;
            anyBelowOne |= s < 1;
        }

        return anyAboveZero && anyBelowOne ? ConfidenceBasedPerformanceEstimation.Estimate(scores, threshold) : null;
    }
}
