namespace LeadScoring.Core.Statistics;

/// <summary>Thresholds and conventions of the drift checks; the defaults are documented in docs/statistics.md.</summary>
public sealed record DriftOptions
{
    /// <summary>The defaults.</summary>
    public static DriftOptions Default { get; } = new();

    /// <summary>Quantile bins for numeric features (distinct reference deciles by default).</summary>
    public int BinCount { get; init; } = 10;

    /// <summary>Floor for a bin's proportion before logarithms (see <see cref="Divergence.DefaultProportionFloor"/>).</summary>
    public double ProportionFloor { get; init; } = Divergence.DefaultProportionFloor;

    /// <summary>PSI at or above this is a warning (0.1).</summary>
    public double PsiWarning { get; init; } = 0.1;

    /// <summary>PSI above this is critical (0.25).</summary>
    public double PsiCritical { get; init; } = 0.25;

    /// <summary>KL divergence above this is drift (0.1).</summary>
    public double KullbackLeiblerThreshold { get; init; } = 0.1;

    /// <summary>Jensen–Shannon distance above this is drift (0.1, Evidently's default).</summary>
    public double JensenShannonThreshold { get; init; } = 0.1;

    /// <summary>Normalised Wasserstein distance above this is drift (0.1, Evidently's default).</summary>
    public double WassersteinThreshold { get; init; } = 0.1;

    /// <summary>Tests (KS, χ², z) call drift when p &lt; α (0.05).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// When the smaller of the two samples has at most this many rows the decision uses a test (KS, χ², z);
    /// above it, a distance (Wasserstein, Jensen–Shannon), because with many rows every p-value is tiny (1000,
    /// Evidently's cut-over).
    /// </summary>
    public int SmallSampleLimit { get; init; } = 1000;

    /// <summary>Most category bins before rare and unseen categories share an "(other)" bin (50; null for no limit).</summary>
    public int? MaxCategoryBins { get; init; } = 50;

    /// <summary>A dataset counts as drifted when at least this share of its features drifted (0.5, Evidently's default).</summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BinCount, 2, nameof(BinCount));
        if (!(ProportionFloor > 0 && ProportionFloor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ProportionFloor), ProportionFloor, "must lie in (0, 1)");
        }

        if (!(PsiWarning > 0 && PsiCritical >= PsiWarning))
        {
            throw new ArgumentOutOfRangeException(nameof(PsiCritical), PsiCritical, "PSI thresholds need 0 < warning ≤ critical");
        }

        SampleGuard.Probability(Alpha, nameof(Alpha));
        SampleGuard.Probability(DatasetDriftShare, nameof(DatasetDriftShare), allowOne: true);
        ArgumentOutOfRangeException.ThrowIfNegative(SmallSampleLimit, nameof(SmallSampleLimit));
    }

    /// <summary>The PSI band: below warning none, up to critical warning, above critical critical.</summary>
    public DriftSeverity PsiSeverity(double psi) =>
        psi < PsiWarning ? DriftSeverity.None : psi <= PsiCritical ? DriftSeverity.Warning : DriftSeverity.Critical;
}
