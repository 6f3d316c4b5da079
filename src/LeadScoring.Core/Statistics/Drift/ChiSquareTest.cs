using MathNet.Numerics;

namespace LeadScoring.Core.Statistics;

/// <summary>A chi-square test of homogeneity between two samples' category counts.</summary>
/// <param name="Statistic">Σ (observed − expected)²/expected over the 2 × k table.</param>
/// <param name="DegreesOfFreedom">k − 1 for the k categories seen in either sample.</param>
/// <param name="PValue">P(χ²_dof ≥ statistic).</param>
/// <param name="CramersV">Effect size √(χ²/N) (for two rows), in [0, 1]: unlike the p-value it does not grow with N.</param>
/// <param name="Total">N, all observations in both samples.</param>
public sealed record ChiSquareResult(double Statistic, int DegreesOfFreedom, double PValue, double CramersV, long Total);

/// <summary>
/// Pearson's chi-square test that two samples share one categorical distribution
/// (<c>scipy.stats.chi2_contingency([reference, current], correction=False)</c>).
/// </summary>
public static class ChiSquareTest
{
    /// <summary>
    /// Tests reference vs current counts over aligned categories. Categories empty in both samples carry no
    /// information and are dropped (SciPy would refuse the zero expected count); with fewer than two categories
    /// left nothing can differ, so the result is χ² = 0, p = 1.
    /// </summary>
    public static ChiSquareResult Homogeneity(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts)
    {
        SampleGuard.SameLength(referenceCounts.Length, currentCounts.Length, nameof(referenceCounts), nameof(currentCounts));
        SampleGuard.NonNegative(referenceCounts, nameof(referenceCounts));
        SampleGuard.NonNegative(currentCounts, nameof(currentCounts));
        long referenceTotal = 0, currentTotal = 0;
        var categories = 0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            referenceTotal += referenceCounts[i];
            currentTotal += currentCounts[i];
            categories += referenceCounts[i] + currentCounts[i] > 0 ? 1 : 0;
        }

        if (referenceTotal == 0 || currentTotal == 0)
        {
            throw new ArgumentException($"a sample is empty (reference {referenceTotal}, current {currentTotal} observations); the test needs both");
        }

        var total = referenceTotal + currentTotal;
        if (categories < 2)
        {
            return new ChiSquareResult(0, 0, 1, 0, total);
        }

        var statistic = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            double column = referenceCounts[i] + currentCounts[i];
            if (column == 0)
            {
                continue;
            }

            var expectedReference = column * referenceTotal / total;
            var expectedCurrent = column * currentTotal / total;
            var dr = referenceCounts[i] - expectedReference;
            var dc = currentCounts[i] - expectedCurrent;
            statistic += (dr * dr / expectedReference) + (dc * dc / expectedCurrent);
        }

        var dof = categories - 1;
        return new ChiSquareResult(statistic, dof, Survival(statistic, dof), Math.Sqrt(statistic / total), total);
    }

    /// <summary>P(χ²_dof ≥ x) through the regularised upper incomplete gamma function (no 1 − CDF cancellation).</summary>
    internal static double Survival(double x, int dof) => x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(dof / 2.0, x / 2.0);
}
