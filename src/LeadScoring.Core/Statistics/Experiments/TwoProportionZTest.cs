namespace LeadScoring.Core.Statistics;

/// <summary>A pooled two-proportion z-test of B against A.</summary>
/// <param name="RateA">Successes/trials in A.</param>
/// <param name="RateB">Successes/trials in B.</param>
/// <param name="Difference">RateB − RateA.</param>
/// <param name="Z">Difference / √(p̄(1 − p̄)(1/n_A + 1/n_B)), p̄ the pooled rate; 0 when both rates are 0 or both 1.</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="CohensH">Effect size |2·asin√RateB − 2·asin√RateA| (0.2 small, 0.5 medium, 0.8 large).</param>
public sealed record TwoProportionZResult(double RateA, double RateB, double Difference, double Z, double PValue, double CohensH);

/// <summary>The two-proportion z-test with a pooled standard error under the null hypothesis of equal rates.</summary>
public static class TwoProportionZTest
{
    /// <summary>Tests whether B's success rate differs from A's.</summary>
    public static TwoProportionZResult Test(long successesA, long trialsA, long successesB, long trialsB)
    {
        SampleGuard.Count(successesA, trialsA, nameof(successesA), nameof(trialsA));
        SampleGuard.Count(successesB, trialsB, nameof(successesB), nameof(trialsB));
        var rateA = (double)successesA / trialsA;
        var rateB = (double)successesB / trialsB;
        var pooled = (double)(successesA + successesB) / (trialsA + trialsB);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / trialsA) + (1.0 / trialsB)));
        var difference = rateB - rateA;
        var z = se > 0 ? difference / se : 0.0;
        var h = Math.Abs((2 * Math.Asin(Math.Sqrt(rateB))) - (2 * Math.Asin(Math.Sqrt(rateA))));
        return new TwoProportionZResult(rateA, rateB, difference, z, NormalTail.TwoSided(z), h);
    }
}
