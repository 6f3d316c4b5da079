using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Statistics;

/// <summary>The bins a feature's drift was measured on, for histograms.</summary>
/// <param name="Labels">One label per bin: "(−∞, e₁]" … for numerics, the category for categoricals.</param>
/// <param name="Edges">Numeric bin edges (right-closed bins); null for categorical bins.</param>
/// <param name="ReferenceCounts">Reference observations per bin.</param>
/// <param name="CurrentCounts">Current observations per bin.</param>
public sealed record DriftBins(IReadOnlyList<string> Labels, IReadOnlyList<double>? Edges, long[] ReferenceCounts, long[] CurrentCounts);

/// <summary>Every drift measure of one feature, and which of them decides.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Type">Numeric, categorical or boolean.</param>
/// <param name="ReferenceCount">Non-missing reference values.</param>
/// <param name="CurrentCount">Non-missing current values.</param>
/// <param name="Bins">The shared bins and both samples' counts.</param>
/// <param name="Results">One result per measure computed.</param>
/// <param name="DecisionMethod">The measure whose <see cref="DriftResult.Drifted"/> is the feature's decision (see <see cref="FeatureDrift.DecisionMethodFor"/>).</param>
public sealed record FeatureDriftReport(
    string Feature,
    FeatureType Type,
    long ReferenceCount,
    long CurrentCount,
    DriftBins Bins,
    IReadOnlyList<DriftResult> Results,
    DriftMethod DecisionMethod)
{
    /// <summary>The deciding result.</summary>
    public DriftResult Decision => Get(DecisionMethod);

    /// <summary>The PSI result (always computed).</summary>
    public DriftResult Psi => Get(DriftMethod.PopulationStabilityIndex);

    /// <summary>The feature's drift decision.</summary>
    public bool Drifted => Decision.Drifted;

    /// <summary>The feature's severity: its PSI band.</summary>
    public DriftSeverity Severity => Psi.Severity;

    /// <summary>The result of <paramref name="method"/>; throws when it was not computed for this feature type.</summary>
    public DriftResult Get(DriftMethod method) =>
        Results.FirstOrDefault(r => r.Method == method)
        ?? throw new InvalidOperationException($"{method} was not computed for {Type} feature '{Feature}'");
}
