namespace LeadScoring.Core.Statistics;

/// <summary>Quantiles and quantile bins, with NumPy's conventions so results can be checked against it.</summary>
public static class Quantiles
{
    /// <summary>
    /// The <paramref name="p"/>-quantile of an ascending sample by linear interpolation between order
    /// statistics (NumPy's default, <c>method="linear"</c>): position h = (n − 1)·p.
    /// </summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        SampleGuard.NotEmpty(sorted.Length, nameof(sorted));
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile's probability must lie in [0, 1]");
        }

        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        var fraction = h - lo;
        // NumPy's _lerp form, exact at both ends.
        var a = sorted[lo];
        var b = sorted[hi];
        var diff = b - a;
        return fraction >= 0.5 ? b - (diff * (1 - fraction)) : a + (diff * fraction);
    }

    /// <summary>
    /// Bin edges for drift statistics: the distinct values among the 1/k … (k−1)/k quantiles of the reference
    /// (k = <paramref name="binCount"/>). Bins are right-closed: (−∞, e₁], (e₁, e₂], …, (eₘ, +∞).
    /// </summary>
    public static double[] BinEdges(ReadOnlySpan<double> reference, int binCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 2);
        SampleGuard.NotEmpty(reference.Length, nameof(reference));
        SampleGuard.Finite(reference, nameof(reference));
        var sorted = reference.ToArray();
        Array.Sort(sorted);
        return DistinctEdges(sorted, binCount);
    }

    private static double[] DistinctEdges(ReadOnlySpan<double> sorted, int binCount)
    {
        var edges = new List<double>(binCount - 1);
        for (var i = 1; i < binCount; i++)
        {
            var q = OfSorted(sorted, (double)i / binCount);
            if (edges.Count == 0 || q != edges[^1])
            {
                edges.Add(q);
            }
        }

        return [.. edges];
    }

    /// <summary>Distinct quantile edges (as <see cref="BinEdges(ReadOnlySpan{double}, int)"/>) of an already sorted sample.</summary>
    public static double[] BinEdges(SortedSample reference, int binCount = 10)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 2);
        SampleGuard.NotEmpty(reference.Count, nameof(reference));
        return DistinctEdges(reference.Values, binCount);
    }

    /// <summary>Counts of a sorted sample in right-closed bins: one binary search per edge, O(k log n).</summary>
    public static long[] CountSortedInBins(SortedSample sample, ReadOnlySpan<double> edges)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var values = sample.Values;
        var counts = new long[edges.Length + 1];
        var below = 0;
        for (var i = 0; i < edges.Length; i++)
        {
            // Values ≤ edge belong to this or earlier bins.
            var atOrBelow = CountAtOrBelow(values, edges[i]);
            counts[i] = atOrBelow - below;
            below = atOrBelow;
        }

        counts[edges.Length] = values.Length - below;
        return counts;
    }

    /// <summary>Counts of <paramref name="values"/> in the right-closed bins defined by ascending <paramref name="edges"/> (edges.Length + 1 bins).</summary>
    public static long[] CountInBins(ReadOnlySpan<double> values, ReadOnlySpan<double> edges)
    {
        SampleGuard.Finite(values, nameof(values));
        var counts = new long[edges.Length + 1];
        foreach (var v in values)
        {
            counts[BinOf(v, edges)]++;
        }

        return counts;
    }

    /// <summary>The index of the right-closed bin holding <paramref name="value"/>: the number of edges strictly below it.</summary>
    public static int BinOf(double value, ReadOnlySpan<double> edges)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (edges[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>How many values of an ascending sample are at or below <paramref name="value"/> (binary search).</summary>
    internal static int CountAtOrBelow(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
