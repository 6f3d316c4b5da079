namespace LeadScoring.Core.Statistics;

/// <summary>Whether metrics were measured against outcomes or estimated from scores alone.</summary>
public enum MetricsSource
{
    /// <summary>Computed from known outcomes.</summary>
    Realised,

    /// <summary>Estimated from calibrated scores before outcomes are known (CBPE).</summary>
    Estimated,
}

/// <summary>
/// A window's model performance, in one shape whether realised or estimated, so a dashboard can show the
/// estimate until labels arrive and then the realised value in its place.
/// </summary>
/// <param name="Source">Realised or estimated.</param>
/// <param name="Count">Leads in the window.</param>
/// <param name="Threshold">Decision threshold for precision/recall/F1 (score ≥ threshold is positive).</param>
/// <param name="RocAuc">ROC AUC.</param>
/// <param name="Precision">Precision at the threshold (0 when nothing is predicted positive).</param>
/// <param name="Recall">Recall at the threshold.</param>
/// <param name="F1">F1 at the threshold.</param>
/// <param name="PositiveRate">Conversion rate: observed, or expected (the mean calibrated score).</param>
public sealed record PerformanceMetrics(
    MetricsSource Source,
    long Count,
    double Threshold,
    double RocAuc,
    double Precision,
    double Recall,
    double F1,
    double PositiveRate)
{
    /// <summary>The realised metrics of a labelled window.</summary>
    public static PerformanceMetrics Realised(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, double threshold)
    {
        var auc = ClassificationMetrics.RocAuc(labels, scores);
        var at = ClassificationMetrics.AtThreshold(labels, scores, threshold);
        var positives = at.TruePositives + at.FalseNegatives;
        return new PerformanceMetrics(MetricsSource.Realised, scores.Length, threshold, auc, at.Precision, at.Recall, at.F1, (double)positives / scores.Length);
    }
}
