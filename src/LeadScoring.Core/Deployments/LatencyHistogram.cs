namespace LeadScoring.Core.Deployments;

/// <summary>
/// A latency histogram over fixed, log-spaced bucket bounds in microseconds (four buckets per doubling, from 1 µs to
/// about 67 s). The bounds never change, so histograms from any replica and any minute merge by adding their counts,
/// which is what the store keeps per deployment, arm and minute. A quantile is accurate to one bucket: within a factor
/// of <see cref="BucketRatio"/> (about 19 %) of the exact value. Not thread-safe; concurrent writers count into a
/// shared array with <see cref="BucketOf"/> and Interlocked instead.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Buckets per doubling of latency.</summary>
    public const int BucketsPerDoubling = 4;

    /// <summary>Doublings above 1 µs covered before the overflow bucket (2^26 µs ≈ 67 s).</summary>
    public const int Doublings = 26;

    /// <summary>Number of buckets: [0, 1 µs), the log-spaced ones, and the overflow bucket.</summary>
    public const int BucketCount = (Doublings * BucketsPerDoubling) + 2;

    /// <summary>Ratio of a bucket's upper bound to its lower bound (2^(1/4)).</summary>
    public static readonly double BucketRatio = Math.Pow(2, 1.0 / BucketsPerDoubling);

    private static readonly double[] Bounds = BuildBounds();
    private readonly long[] _counts;

    /// <summary>An empty histogram.</summary>
    public LatencyHistogram() => _counts = new long[BucketCount];

    /// <summary>A histogram holding <paramref name="counts"/> (copied; <see cref="BucketCount"/> of them, as <see cref="Counts"/> gives).</summary>
    public LatencyHistogram(ReadOnlySpan<long> counts)
        : this() => Merge(counts);

    /// <summary>
    /// Upper bound (exclusive, µs) of each bucket but the last: bucket 0 is [0, 1), bucket i is [Bounds[i-1], Bounds[i]),
    /// the last is [Bounds[^1], ∞).
    /// </summary>
    public static IReadOnlyList<double> UpperBounds => Bounds;

    /// <summary>The count per bucket.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Number of recorded latencies.</summary>
    public long Count { get; private set; }

    /// <summary>The bucket a latency of <paramref name="microseconds"/> falls in (negative and NaN count as 0).</summary>
    public static int BucketOf(double microseconds)
    {
        if (!(microseconds >= 1))
        {
            return 0;
        }

        // The logarithm picks the bucket; the comparisons correct a rounding at an exact bound.
        var index = Math.Min(BucketCount - 1, 1 + (int)Math.Floor(Math.Log2(microseconds) * BucketsPerDoubling));
        if (index < BucketCount - 1 && microseconds >= Bounds[index])
        {
            index++;
        }
        else if (index > 1 && microseconds < Bounds[index - 1])
        {
            index--;
        }

        return index;
    }

    /// <summary>Counts one latency.</summary>
    public void Record(double microseconds)
    {
        _counts[BucketOf(microseconds)]++;
        Count++;
    }

    /// <summary>Adds another histogram's counts, as if its latencies had been recorded here.</summary>
    public void Merge(ReadOnlySpan<long> counts)
    {
        if (counts.Length != BucketCount)
        {
            throw new ArgumentException($"a latency histogram has {BucketCount} buckets (got {counts.Length})", nameof(counts));
        }

        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException($"bucket {i} has a negative count ({counts[i]})", nameof(counts));
            }

            _counts[i] += counts[i];
            Count += counts[i];
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Merge(other.Counts);
    }

    /// <summary>A copy of the counts (what ArmMinute.LatencyBuckets holds).</summary>
    public long[] ToArray() => (long[])_counts.Clone();

    /// <summary>
    /// The <paramref name="q"/>-quantile (nearest rank: the value at rank ⌈q·n⌉) in µs, interpolated geometrically within
    /// its bucket; null when nothing was recorded. The overflow bucket answers with its lower bound.
    /// </summary>
    public double? Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is between 0 and 1");
        }

        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long below = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (below + _counts[i] < rank)
            {
                below += _counts[i];
                continue;
            }

            if (i == 0)
            {
                return 0.5;
            }

            var lower = Bounds[i - 1];
            if (i == BucketCount - 1)
            {
                return lower;
            }

            // Where the rank sits among the bucket's values, assuming they spread evenly on a log scale.
            var within = (rank - below - 0.5) / _counts[i];
            return lower * Math.Pow(Bounds[i] / lower, within);
        }

        return Bounds[^1];
    }

    private static double[] BuildBounds()
    {
        var bounds = new double[BucketCount - 1];
        for (var i = 0; i < bounds.Length; i++)
        {
            bounds[i] = Math.Pow(2, (double)i / BucketsPerDoubling);
        }

        return bounds;
    }
}
