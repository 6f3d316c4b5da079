namespace LeadScoring.Core.Statistics;

/// <summary>A drift measure or test between a reference and a current sample.</summary>
public enum DriftMethod
{
    /// <summary>Population stability index over reference bins.</summary>
    PopulationStabilityIndex,

    /// <summary>Kullback–Leibler divergence of current from reference over the same bins.</summary>
    KullbackLeibler,

    /// <summary>Jensen–Shannon distance (natural log) over the same bins.</summary>
    JensenShannonDistance,

    /// <summary>Wasserstein-1 distance divided by the reference's standard deviation.</summary>
    NormalisedWasserstein,

    /// <summary>Two-sample Kolmogorov–Smirnov test.</summary>
    KolmogorovSmirnov,

    /// <summary>Chi-square test of homogeneity over aligned categories.</summary>
    ChiSquare,

    /// <summary>Pooled two-proportion z-test (boolean features).</summary>
    TwoProportionZ,
}

/// <summary>How worrying a drift value is.</summary>
public enum DriftSeverity
{
    /// <summary>No drift.</summary>
    None,

    /// <summary>Drift worth a look.</summary>
    Warning,

    /// <summary>Drift worth acting on (PSI above its critical threshold).</summary>
    Critical,
}

/// <summary>One drift measure of one feature.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Method">The measure or test.</param>
/// <param name="Statistic">Its value: the divergence or distance, KS D, χ², or z.</param>
/// <param name="PValue">The test's p-value; null for distance measures, which have none.</param>
/// <param name="EffectSize">A size of the difference that does not shrink with sample size: the distance itself, KS D, Cramér's V, or Cohen's h.</param>
/// <param name="Threshold">What <see cref="Drifted"/> compared against: α for tests (drift when p &lt; α), the distance threshold otherwise (drift when above it; PSI when at or above its warning level).</param>
/// <param name="Severity">PSI: its warning/critical band; other methods: Warning when drifted, otherwise None.</param>
/// <param name="Drifted">Whether this measure alone calls the feature drifted.</param>
/// <param name="Approximate">True when computed from a reference profile's percentile sketch rather than from the reference values.</param>
public sealed record DriftResult(
    string Feature,
    DriftMethod Method,
    double Statistic,
    double? PValue,
    double EffectSize,
    double Threshold,
    DriftSeverity Severity,
    bool Drifted,
    bool Approximate = false);
