namespace LeadScoring.Core.Statistics;

/// <summary>
/// Distances between two binned distributions given as counts over the same bins (reference first, current
/// second). Proportions are count/total, then floored at <see cref="DefaultProportionFloor"/> (no renormalising)
/// so that an empty bin gives a large but finite contribution instead of log 0.
/// </summary>
public static class Divergence
{
    /// <summary>The floor for a bin's proportion before any logarithm is taken: 1e−4 (0.01 % of a sample).</summary>
    public const double DefaultProportionFloor = 1e-4;

    /// <summary>Proportions count/total floored at <paramref name="floor"/>; the result need not sum to one.</summary>
    public static double[] Proportions(ReadOnlySpan<long> counts, double floor = DefaultProportionFloor)
    {
        SampleGuard.NonNegative(counts, nameof(counts));
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            throw new ArgumentException("the counts add up to zero; a distribution needs at least one observation", nameof(counts));
        }

        var proportions = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            proportions[i] = Math.Max((double)counts[i] / total, floor);
        }

        return proportions;
    }

    /// <summary>
    /// Population stability index Σ (a − e)·ln(a/e), e = reference proportion, a = current proportion. Each term
    /// is ≥ 0, so PSI ≥ 0, and PSI = 0 exactly when the floored proportions agree.
    /// </summary>
    public static double Psi(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double floor = DefaultProportionFloor)
    {
        var (e, a) = Pair(referenceCounts, currentCounts, floor);
        var sum = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            sum += (a[i] - e[i]) * Math.Log(a[i] / e[i]);
        }

        return sum;
    }

    /// <summary>Kullback–Leibler divergence of the current distribution from the reference: Σ a·ln(a/e).</summary>
    public static double KullbackLeibler(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double floor = DefaultProportionFloor)
    {
        var (e, a) = Pair(referenceCounts, currentCounts, floor);
        var sum = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            sum += a[i] * Math.Log(a[i] / e[i]);
        }

        return sum;
    }

    /// <summary>
    /// Jensen–Shannon distance (natural log, so in [0, √ln 2]): the square root of the mean KL divergence of
    /// both distributions from their average, after renormalising the floored proportions to sum to one
    /// (<c>scipy.spatial.distance.jensenshannon</c>).
    /// </summary>
    public static double JensenShannonDistance(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double floor = DefaultProportionFloor)
    {
        var (e, a) = Pair(referenceCounts, currentCounts, floor);
        Normalise(e);
        Normalise(a);
        var sum = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            var m = (a[i] + e[i]) / 2;
            sum += RelativeEntropy(a[i], m) + RelativeEntropy(e[i], m);
        }

        return Math.Sqrt(Math.Max(sum / 2, 0));
    }

    private static (double[] Reference, double[] Current) Pair(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double floor)
    {
        SampleGuard.SameLength(referenceCounts.Length, currentCounts.Length, nameof(referenceCounts), nameof(currentCounts));
        SampleGuard.NotEmpty(referenceCounts.Length, nameof(referenceCounts));
        if (!(floor > 0 && floor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, "the proportion floor must lie in (0, 1)");
        }

        return (Proportions(referenceCounts, floor), Proportions(currentCounts, floor));
    }

    private static void Normalise(double[] p)
    {
        var total = 0.0;
        foreach (var v in p)
        {
            total += v;
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] /= total;
        }
    }

    private static double RelativeEntropy(double x, double y) => x > 0 ? x * Math.Log(x / y) : 0;
}
