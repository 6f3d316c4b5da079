namespace LeadScoring.Core.Statistics;

/// <summary>One group of a lift table: leads ranked by score, best first.</summary>
/// <param name="Group">1 for the highest-scored group.</param>
/// <param name="Count">Leads in the group.</param>
/// <param name="Conversions">Converted leads in the group.</param>
/// <param name="MinScore">Lowest score in the group.</param>
/// <param name="MaxScore">Highest score in the group.</param>
/// <param name="ConversionRate">Conversions / Count.</param>
/// <param name="Lift">ConversionRate / overall rate (1 = no better than random; 0 when nobody converted).</param>
/// <param name="CumulativeCount">Leads in this and all better groups.</param>
/// <param name="CumulativeConversions">Conversions in this and all better groups.</param>
/// <param name="CumulativeGain">Share of all conversions captured so far (0 when nobody converted).</param>
/// <param name="CumulativeLift">Cumulative rate / overall rate.</param>
public sealed record LiftRow(
    int Group,
    long Count,
    long Conversions,
    double MinScore,
    double MaxScore,
    double ConversionRate,
    double Lift,
    long CumulativeCount,
    long CumulativeConversions,
    double CumulativeGain,
    double CumulativeLift);

/// <summary>A score bucket's conversion rate.</summary>
/// <param name="Bucket">0-based bucket index.</param>
/// <param name="Lower">Inclusive lower bound.</param>
/// <param name="Upper">Exclusive upper bound (inclusive for the last bucket).</param>
/// <param name="Count">Leads in the bucket.</param>
/// <param name="Conversions">Converted leads in the bucket.</param>
/// <param name="ConversionRate">Conversions / Count (0 for an empty bucket; check Count).</param>
public sealed record BucketConversion(int Bucket, double Lower, double Upper, long Count, long Conversions, double ConversionRate);

/// <summary>Lift, cumulative gain and conversion rate by score bucket: how well the ranking concentrates conversions.</summary>
public static class LiftAnalysis
{
    /// <summary>
    /// Splits leads ranked by descending score into <paramref name="groups"/> groups of (nearly) equal size —
    /// deciles by default; group g holds ranks ⌊(g−1)n/k⌋ … ⌊gn/k⌋ − 1. Tied scores are ordered by position, so
    /// a run of ties may straddle two groups; sizes stay equal.
    /// </summary>
    public static IReadOnlyList<LiftRow> ByGroup(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, int groups = 10)
    {
        SampleGuard.SameLength(labels.Length, scores.Length, nameof(labels), nameof(scores));
        SampleGuard.NotEmpty(scores.Length, nameof(scores));
        SampleGuard.Finite(scores, nameof(scores));
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var n = scores.Length;
        groups = Math.Min(groups, n);
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Negated for a descending order; the index breaks ties so the order is deterministic.
            keys[i] = -scores[i];
        }

        var comparer = new TieByIndex(keys);
        Array.Sort(order, comparer);

        long totalConversions = 0;
        foreach (var l in labels)
        {
            totalConversions += l ? 1 : 0;
        }

        var overallRate = (double)totalConversions / n;
        var rows = new List<LiftRow>(groups);
        long cumulativeCount = 0, cumulativeConversions = 0;
        for (var g = 0; g < groups; g++)
        {
            var start = (int)((long)g * n / groups);
            var end = (int)((long)(g + 1) * n / groups);
            long conversions = 0;
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var r = start; r < end; r++)
            {
                var i = order[r];
                conversions += labels[i] ? 1 : 0;
                min = Math.Min(min, scores[i]);
                max = Math.Max(max, scores[i]);
            }

            long count = end - start;
            cumulativeCount += count;
            cumulativeConversions += conversions;
            var rate = (double)conversions / count;
            var cumulativeRate = (double)cumulativeConversions / cumulativeCount;
            rows.Add(new LiftRow(
                g + 1,
                count,
                conversions,
                min,
                max,
                rate,
                overallRate > 0 ? rate / overallRate : 0,
                cumulativeCount,
                cumulativeConversions,
                totalConversions > 0 ? (double)cumulativeConversions / totalConversions : 0,
                overallRate > 0 ? cumulativeRate / overallRate : 0));
        }

        return rows;
    }

    /// <summary>Conversion rate in <paramref name="bucketCount"/> equal-width score buckets over [0, 1] (a score of 1 falls in the last).</summary>
    public static IReadOnlyList<BucketConversion> ConversionByScoreBucket(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, int bucketCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        var edges = new double[bucketCount + 1];
        for (var i = 0; i <= bucketCount; i++)
        {
            edges[i] = (double)i / bucketCount;
        }

        return ConversionByScoreBucket(labels, scores, edges);
    }

    /// <summary>
    /// Conversion rate in the buckets [e₀, e₁), [e₁, e₂), …, [eₖ₋₁, eₖ] given by ascending <paramref name="edges"/>;
    /// every score must lie in [e₀, eₖ]. Empty buckets are kept (Count 0) so a dashboard shows every bucket.
    /// </summary>
    public static IReadOnlyList<BucketConversion> ConversionByScoreBucket(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, ReadOnlySpan<double> edges)
    {
        SampleGuard.SameLength(labels.Length, scores.Length, nameof(labels), nameof(scores));
        SampleGuard.Finite(scores, nameof(scores));
        SampleGuard.Finite(edges, nameof(edges));
        if (edges.Length < 2)
        {
            throw new ArgumentException("at least two edges (one bucket) are needed", nameof(edges));
        }

        for (var i = 1; i < edges.Length; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new ArgumentException($"edges must increase strictly; edges[{i}] = {edges[i]} follows {edges[i - 1]}", nameof(edges));
            }
        }

        var buckets = edges.Length - 1;
        var counts = new long[buckets];
        var conversions = new long[buckets];
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (s < edges[0] || s > edges[^1])
            {
                throw new ArgumentException($"scores[{i}] = {s} lies outside the buckets [{edges[0]}, {edges[^1]}]", nameof(scores));
            }

            // Number of inner edges ≤ s gives the bucket; the top edge closes the last bucket.
            var b = Math.Min(Quantiles.CountAtOrBelow(edges[1..^1], s), buckets - 1);
            counts[b]++;
            conversions[b] += labels[i] ? 1 : 0;
        }

        var table = new List<BucketConversion>(buckets);
        for (var b = 0; b < buckets; b++)
        {
            table.Add(new BucketConversion(b, edges[b], edges[b + 1], counts[b], conversions[b], counts[b] > 0 ? (double)conversions[b] / counts[b] : 0));
        }

        return table;
    }

    private sealed class TieByIndex(double[] keys) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var c = keys[x].CompareTo(keys[y]);
            return c != 0 ? c : x.CompareTo(y);
        }
    }
}
