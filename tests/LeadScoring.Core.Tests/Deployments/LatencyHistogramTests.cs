using LeadScoring.Core.Deployments;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quantiles_are_within_one_bucket_of_the_exact_quantiles_of_a_seeded_sample(int seed)
    {
        // Log-normal latencies around 300 µs with a long tail, as scoring latencies look.
        var random = new Random(seed);
        var samples = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(Math.Log(300) + (0.8 * Normal(random)))).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var sample in samples)
        {
            histogram.Record(sample);
        }

        Array.Sort(samples);
        foreach (var q in new[] { 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = samples[(int)Math.Ceiling(q * samples.Length) - 1];
            var estimate = histogram.Quantile(q)!.Value;

            Assert.InRange(estimate, exact / LatencyHistogram.BucketRatio, exact * LatencyHistogram.BucketRatio);
        }

        Assert.Equal(samples.Length, histogram.Count);
    }

    [Fact]
    public void Merging_counts_equals_recording_the_union()
    {
        var random = new Random(7);
        var first = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() * 2000).ToArray();
        var second = Enumerable.Range(0, 3000).Select(_ => 50 + (random.NextDouble() * 100_000)).ToArray();
        var (a, b, union) = (new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram());
        foreach (var x in first)
        {
            a.Record(x);
            union.Record(x);
        }

        foreach (var x in second)
        {
            b.Record(x);
            union.Record(x);
        }

        var merged = new LatencyHistogram(a.ToArray());
        merged.Merge(b);

        Assert.Equal(union.ToArray(), merged.ToArray());
        Assert.Equal(union.Count, merged.Count);
        Assert.Equal(union.Quantile(0.95), merged.Quantile(0.95));
    }

    [Fact]
    public void Every_latency_falls_in_the_bucket_whose_bounds_hold_it()
    {
        var bounds = LatencyHistogram.UpperBounds;
        var random = new Random(11);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Pow(2, random.NextDouble() * 30)).Concat(bounds).Concat([0, 0.3, 1, 2, 1e12]);
        foreach (var value in values)
        {
            var bucket = LatencyHistogram.BucketOf(value);
            var lower = bucket == 0 ? 0 : bounds[bucket - 1];
            var upper = bucket == bounds.Count ? double.PositiveInfinity : bounds[bucket];

            Assert.True(value >= lower && value < upper, $"{value} µs in bucket {bucket} [{lower}, {upper})");
        }

        Assert.Equal(LatencyHistogram.BucketCount, bounds.Count + 1);
    }

    [Fact]
    public void An_empty_histogram_has_no_quantile_and_bad_input_is_refused()
    {
        var histogram = new LatencyHistogram();

        Assert.Null(histogram.Quantile(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.Quantile(1.5));
        Assert.Throws<ArgumentException>(() => histogram.Merge(new long[3]));
        Assert.Throws<ArgumentException>(() => histogram.Merge(Enumerable.Repeat(-1L, LatencyHistogram.BucketCount).ToArray()));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
