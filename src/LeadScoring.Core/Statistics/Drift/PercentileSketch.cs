using LeadScoring.Core.Profiles;

namespace LeadScoring.Core.Statistics;

/// <summary>
/// A reference distribution known only through its 0th … 100th percentiles: its CDF and quantile function are
/// taken as the straight lines between them (a density that is uniform between neighbouring percentiles).
/// </summary>
internal sealed class PercentileSketch
{
    private readonly double[] _percentiles;

    private PercentileSketch(double[] percentiles) => _percentiles = percentiles;

    public static PercentileSketch Of(NumericProfile profile)
    {
        if (profile.Count == 0)
        {
            throw new ArgumentException($"the reference profile of '{profile.Name}' has no values", nameof(profile));
        }

        if (profile.Percentiles.Count != 101)
        {
            throw new ArgumentException($"the reference profile of '{profile.Name}' holds {profile.Percentiles.Count} percentiles; 101 (0 … 100) are needed", nameof(profile));
        }

        var p = profile.Percentiles.ToArray();
        SampleGuard.Finite(p, "profile.Percentiles");
        return new PercentileSketch(p);
    }

    private int Steps => _percentiles.Length - 1;

    /// <summary>F(x) with F right-continuous where percentiles repeat (a point mass).</summary>
    public double CdfAt(double x)
    {
        var p = _percentiles;
        if (x < p[0])
        {
            return 0;
        }

        if (x >= p[^1])
        {
            return 1;
        }

        // Last k with p[k] ≤ x; p[k + 1] > x ≥ p[k].
        var k = Quantiles.CountAtOrBelow(p, x) - 1;
        return (k + ((x - p[k]) / (p[k + 1] - p[k]))) / Steps;
    }

    /// <summary>F(x⁻), the limit from the left.</summary>
    public double CdfBefore(double x)
    {
        var p = _percentiles;
        if (x <= p[0])
        {
            return 0;
        }

        if (x > p[^1])
        {
            return 1;
        }

        // First k with p[k] ≥ x; p[k − 1] < x ≤ p[k].
        var k = Quantiles.BinOf(x, p);
        return (k - 1 + ((x - p[k - 1]) / (p[k] - p[k - 1]))) / Steps;
    }

    /// <summary>sup |F_sketch − F_current| over the current sample's jump points (where the supremum lies).</summary>
    public double KsStatisticTo(ReadOnlySpan<double> sortedCurrent)
    {
        var n = sortedCurrent.Length;
        var best = 0.0;
        var i = 0;
        while (i < n)
        {
            var x = sortedCurrent[i];
            var before = (double)i / n;
            while (i < n && sortedCurrent[i] == x)
            {
                i++;
            }

            var after = (double)i / n;
            best = Math.Max(best, Math.Max(Math.Abs(CdfBefore(x) - before), Math.Abs(CdfAt(x) - after)));
        }

        return Math.Min(best, 1.0);
    }

    /// <summary>∫₀¹ |Q_sketch(u) − Q_current(u)| du, the current quantile function being the empirical step function.</summary>
    public double WassersteinTo(ReadOnlySpan<double> sortedCurrent)
    {
        var p = _percentiles;
        var n = sortedCurrent.Length;
        var sum = new CompensatedSum(0);
        var u = 0.0;
        int k = 0, i = 0;
        while (u < 1.0)
        {
            // On [u, next): the sketch is linear (segment k), the current quantile is x_(i).
            var nextSketch = (double)(k + 1) / Steps;
            var nextStep = (double)(i + 1) / n;
            var next = Math.Min(nextSketch, nextStep);
            var level = sortedCurrent[i];
            var l0 = SketchQuantile(k, u) - level;
            var l1 = SketchQuantile(k, next) - level;
            var width = next - u;
            if (width > 0)
            {
                sum.Add((l0 >= 0) == (l1 >= 0) || l0 == l1
                    ? Math.Abs(l0 + l1) / 2 * width
                    : width * ((l0 * l0) + (l1 * l1)) / (2 * Math.Abs(l1 - l0)));
            }

            u = next;
            if (next >= nextSketch && k < Steps - 1)
            {
                k++;
            }

            if (next >= nextStep && i < n - 1)
            {
                i++;
            }

            if (next >= 1.0)
            {
                break;
            }
        }

        return sum.Value;
    }

    private double SketchQuantile(int segment, double u)
    {
        var p = _percentiles;
        var t = (u * Steps) - segment;
        return p[segment] + ((p[segment + 1] - p[segment]) * Math.Clamp(t, 0, 1));
    }
}
