using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>What the drift check concluded about one feature.</summary>
public enum DriftVerdict
{
    /// <summary>No drift by the deciding measure.</summary>
    Stable,

    /// <summary>Drift by the deciding measure (after the Benjamini–Hochberg adjustment when a test decides).</summary>
    Drifted,

    /// <summary>Too few values in the window or the reference to judge.</summary>
    InsufficientData,
}

/// <summary>One feature's drift in a window.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Type">Feature type.</param>
/// <param name="Verdict">Stable, drifted or insufficient data.</param>
/// <param name="Reason">The verdict in a sentence, naming the deciding measure and its value.</param>
/// <param name="CurrentCount">Present (non-missing) values in the window.</param>
/// <param name="Report">Every drift measure; null when there was too little data to compute them.</param>
/// <param name="PValue">The type's test p-value (KS, χ² or two-proportion z); null when not computed.</param>
/// <param name="AdjustedPValue">Its Benjamini–Hochberg adjustment across the window's tested features.</param>
/// <param name="TrimmedWasserstein">Numeric features: the normalised Wasserstein distance over the central 98 % (<see cref="Monitoring.TrimmedWasserstein"/>), which decides for large windows.</param>
public sealed record FeatureDriftVerdict(
    string Feature,
    FeatureType Type,
    DriftVerdict Verdict,
    string Reason,
    long CurrentCount,
    FeatureDriftReport? Report,
    double? PValue,
    double? AdjustedPValue,
    double? TrimmedWasserstein)
{
    /// <summary>PSI (0 when not computed).</summary>
    public double Psi => Report?.Psi.Statistic ?? 0;

    /// <summary>The PSI band (None when not computed).</summary>
    public DriftSeverity Severity => Report?.Severity ?? DriftSeverity.None;

    /// <summary>The deciding measure's effect size (0 when not computed; the trimmed distance when that decided).</summary>
    public double EffectSize => Report is null ? 0
        : Report.DecisionMethod == DriftMethod.NormalisedWasserstein && TrimmedWasserstein is { } trimmed ? trimmed
        : Report.Decision.EffectSize;
}
