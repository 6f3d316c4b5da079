using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>Everything one monitoring run found in a window; see <see cref="WindowMonitor.Analyze"/>.</summary>
/// <param name="Count">Leads in the window.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="DataDrift">One drift verdict per schema feature, in schema order.</param>
/// <param name="DriftSummary">Overall (mean) and maximum PSI and the dataset-drift call over the features that could be measured; null when none could.</param>
/// <param name="DataQuality">One quality entry per schema feature, in schema order.</param>
/// <param name="Prediction">Score drift, mean score, band shares.</param>
/// <param name="Performance">Realised metrics on labelled leads and the CBPE estimate for the window.</param>
/// <param name="Business">Conversion and revenue per band, lift by decile, precision at daily capacity.</param>
/// <param name="DriftedFeaturesByImpact">Drifted features ranked by their estimated effect on performance (largest first).</param>
public sealed record WindowReport(
    long Count,
    long Labelled,
    IReadOnlyList<FeatureDriftVerdict> DataDrift,
    DriftSummary? DriftSummary,
    IReadOnlyList<FeatureQuality> DataQuality,
    PredictionDriftReport Prediction,
    PerformanceReport Performance,
    BusinessReport Business,
    IReadOnlyList<FeatureImpact> DriftedFeaturesByImpact)
{
    /// <summary>True when any feature failed its quality limits: a broken pipeline to fix before reading drift.</summary>
    public bool QualityFailed => DataQuality.Any(q => q.Verdict == QualityVerdict.Failed);

    /// <summary>The drifted features' names, in schema order.</summary>
    public IReadOnlyList<string> DriftedFeatures => DataDrift.Where(d => d.Verdict == DriftVerdict.Drifted).Select(d => d.Feature).ToList();

    /// <summary>True when the window is too small to judge drift for any feature.</summary>
    public bool InsufficientData => DataDrift.All(d => d.Verdict == DriftVerdict.InsufficientData);
}
