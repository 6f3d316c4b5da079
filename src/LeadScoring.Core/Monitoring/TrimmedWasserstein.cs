using LeadScoring.Core.Profiles;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>
/// Normalised Wasserstein distance between a stored profile and a window over the central 98 % of both
/// distributions: ∫ |Q_ref(u) − Q_cur(u)| du for u in [0.01, 0.99], divided by the reference's standard deviation.
/// Why: the profile's sketch knows nothing between its 99th percentile and its maximum and draws a straight line
/// there, so on a heavy-tailed feature (company size is log-normal) the full-range distance of a window drawn
/// from the very same distribution reaches 0.22, over the 0.1 threshold. Trimming the outer percentiles keeps what
/// the sketch knows; a real shift moves the body of the distribution and still shows.
/// </summary>
public static class TrimmedWasserstein
{
    /// <summary>Lower end of the compared quantile range.</summary>
    public const double LowerQuantile = 0.01;

    /// <summary>Upper end of the compared quantile range.</summary>
    public const double UpperQuantile = 0.99;

    private const int Steps = 980;

    /// <summary>The trimmed, normalised distance (midpoint rule over 980 quantile steps); 0 for an empty profile.</summary>
    public static double Normalised(NumericProfile reference, ReadOnlySpan<double> sortedCurrent)
    {
        ArgumentNullException.ThrowIfNull(reference);
        SampleGuard.NotEmpty(sortedCurrent.Length, nameof(sortedCurrent));
        var percentiles = reference.Percentiles;
        if (percentiles.Count != 101)
        {
            return 0;
        }

        var width = (UpperQuantile - LowerQuantile) / Steps;
        var sum = new CompensatedSum(0);
        for (var k = 0; k < Steps; k++)
        {
            var u = LowerQuantile + ((k + 0.5) * width);
            var position = u * 100;
            var below = (int)position;
            var referenceQuantile = percentiles[below] + ((position - below) * (percentiles[below + 1] - percentiles[below]));
            sum.Add(Math.Abs(referenceQuantile - Quantiles.OfSorted(sortedCurrent, u)) * width);
        }

        return sum.Value / Math.Max(reference.StdDev, Wasserstein.MinimumScale);
    }
}
