using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>One metric, challenger against champion, with a fixed-horizon and an always-valid test.</summary>
/// <param name="Metric">"conversion_rate", "revenue_per_lead" or "roc_auc".</param>
/// <param name="Champion">The champion's value.</param>
/// <param name="Challenger">The challenger's value.</param>
/// <param name="Difference">Challenger − champion.</param>
/// <param name="RelativeLift">Difference / champion; null when the champion's value is 0.</param>
/// <param name="FixedHorizonPValue">
/// Two-sided p-value of the classic test (two-proportion z, Welch t, DeLong z). Valid only for one look decided
/// in advance; shown for reference, never used to decide.
/// </param>
/// <param name="Sequential">
/// The mixture SPRT at this look: its always-valid p-value and confidence sequence stay valid however often the
/// analysis is re-run, which is how it is used.
/// </param>
public sealed record MetricComparison(
    string Metric,
    double Champion,
    double Challenger,
    double Difference,
    double? RelativeLift,
    double FixedHorizonPValue,
    SequentialLook Sequential)
{
    /// <summary>Metric name of the conversion rate.</summary>
    public const string ConversionRate = "conversion_rate";

    /// <summary>Metric name of revenue per lead.</summary>
    public const string RevenuePerLead = "revenue_per_lead";

    /// <summary>Metric name of ROC AUC.</summary>
    public const string RocAuc = "roc_auc";

    /// <summary>The always-valid p-value (two-sided).</summary>
    public double AlwaysValidPValue => Sequential.PValue;

    /// <summary>True when the always-valid test rejects "no difference" at <paramref name="alpha"/> in favour of the challenger.</summary>
    public bool SignificantlyBetter(double alpha) => Sequential.PValue <= alpha && Difference > 0;

    /// <summary>True when the always-valid test rejects "no difference" at <paramref name="alpha"/> against the challenger.</summary>
    public bool SignificantlyWorse(double alpha) => Sequential.PValue <= alpha && Difference < 0;

    /// <summary>
    /// Compares an estimate with its variance: the fixed-horizon p from z = d/√V and the mSPRT with the mixing
    /// variance τ² = (champion × minimum lift)², centred on the smallest effect worth promoting. τ² only tunes
    /// how fast the test reacts; its validity holds for any τ².
    /// </summary>
    internal static MetricComparison FromEstimate(string metric, double champion, double challenger, double variance, double minimumLift, double alpha, double? fixedHorizonP = null)
    {
        var difference = challenger - champion;
        var z = variance > 0 ? difference / Math.Sqrt(variance) : 0;
        var p = fixedHorizonP ?? (variance > 0 ? NormalTail.TwoSided(z) : 1.0);
        var effect = Math.Abs(champion) * minimumLift;
        var tau2 = effect > 0 ? effect * effect : FallbackMixingVariance(variance);
        var look = MixtureSequentialTest.Evaluate(difference, Math.Max(variance, 0), tau2, alpha);
        return new MetricComparison(metric, champion, challenger, difference, champion != 0 ? difference / champion : null, p, look);
    }

    // A champion value of 0 gives no scale for τ²: use the estimate's own variance (any τ² > 0 keeps validity).
    private static double FallbackMixingVariance(double variance) => variance > 0 ? variance : 1.0;
}
