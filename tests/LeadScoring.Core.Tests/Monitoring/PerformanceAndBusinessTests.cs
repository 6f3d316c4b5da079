using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Monitoring;

public sealed class PerformanceAndBusinessTests
{
    private static readonly MonitoringOptions Small = new() { MinimumSampleSize = 4, DailyCapacity = 1 };

    // Five leads over two days: day one 0.9 (converted, revenue 100), 0.8 (not), 0.95 (outcome unknown);
    // day two 0.3 (converted, no revenue recorded), 0.1 (not).
    private static MonitoringWindowData HandWindow()
    {
        var schema = new LeadSchema(name: "none", id: null, label: "y", positive: ["1"], negative: null, timestamp: null, revenue: null,
            delimiter: ',', features: [], exclude: [], missingValues: [""]);
        double[] scores = [0.9, 0.8, 0.3, 0.1, 0.95];
        long day = TimeSpan.TicksPerDay;
        return new MonitoringWindowData(schema, new Dictionary<string, double[]>(), new Dictionary<string, string?[]>(),
            scores, scores.Select(MonitoringFixtures.Band).ToArray(), [true, false, true, false, null], [100, null, null, null, null],
            [(10 * day) + 5, (10 * day) + 7, (11 * day) + 1, (11 * day) + 2, (10 * day) + 9]);
    }

    [Fact]
    public void Realised_metrics_match_the_hand_computed_window()
    {
        var performance = PerformanceReport.Of(HandWindow(), Small);

        var realised = performance.Realised!;
        Assert.Equal(4, realised.Labelled);
        Assert.Equal(2, realised.Conversions);
        // Positive–negative pairs ranked right: (0.9, 0.8), (0.9, 0.1), (0.3, 0.1) of 4.
        Assert.Equal(0.75, realised.RocAuc, 12);
        // Recall steps 0.5 at precision 1 (0.9) and 0.5 at precision 2/3 (0.3).
        Assert.Equal(0.5 + (1.0 / 3), realised.PrAuc, 12);
        Assert.Equal(0.5, realised.AtThreshold.Precision, 12);
        Assert.Equal(0.5, realised.AtThreshold.Recall, 12);
        Assert.Equal((0.01 + 0.64 + 0.49 + 0.01) / 4, realised.Brier, 12);
        // CBPE covers all five leads, labelled or not.
        Assert.Equal(5, performance.Estimated!.Count);
        Assert.Equal(ConfidenceBasedPerformanceEstimation.Estimate([0.9, 0.8, 0.3, 0.1, 0.95], 0.5), performance.Estimated);
    }

    [Fact]
    public void Realised_metrics_wait_for_the_minimum_sample_and_both_outcomes()
    {
        var tooFew = PerformanceReport.Of(HandWindow(), MonitoringOptions.Default);

        Assert.Null(tooFew.Realised);
        Assert.Equal("insufficient data: 4 leads with a known outcome, at least 100 needed", tooFew.RealisedNote);
        Assert.NotNull(tooFew.Estimated);
    }

    [Fact]
    public void Business_figures_match_the_hand_computed_window()
    {
        var business = BusinessReport.Of(HandWindow(), Small);

        var hot = business.ByBand[0];
        Assert.Equal(new BandBusiness("hot", 3, 2, 1, 0.5, 50), hot);
        Assert.Equal(new BandBusiness("warm", 1, 1, 1, 1, 0), business.ByBand.Single(b => b.Band == "warm"));
        Assert.Equal(new BandBusiness("cold", 1, 1, 0, 0, 0), business.ByBand.Single(b => b.Band == "cold"));
        // Day one's best lead (0.95) has no outcome yet; day two's (0.3) converted: 1 of 1 known, base rate 2 of 4.
        Assert.Equal(new CapacityPrecision(1, 2, 2, 1, 1, 1, 0.5, 2), business.AtCapacity);
        Assert.Empty(business.LiftByDecile);
    }

    [Fact]
    public void Weighted_cbpe_with_unit_weights_is_cbpe()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 2000).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();

        var weighted = DriftImpact.WeightedCbpe(scores, order, Enumerable.Repeat(1.0, scores.Length).ToArray())!.Value;

        var cbpe = ConfidenceBasedPerformanceEstimation.Estimate(scores, 0.5);
        Assert.Equal(cbpe.RocAuc, weighted.Auc, 12);
        Assert.Equal(cbpe.PositiveRate, weighted.Rate, 12);
    }

    [Fact]
    public void Precision_at_capacity_groups_leads_by_day_whatever_their_order()
    {
        // 3,000 leads over 12 days in shuffled order, distinct scores: the top 25 of each day, counted by hand.
        var random = new Random(31);
        var schema = new LeadSchema(name: "none", id: null, label: "y", positive: ["1"], negative: null, timestamp: null, revenue: null,
            delimiter: ',', features: [], exclude: [], missingValues: [""]);
        var n = 3_000;
        var scores = Enumerable.Range(0, n).Select(i => (i + 0.5) / n).OrderBy(_ => random.Next()).ToArray();
        var ticks = Enumerable.Range(0, n).Select(_ => (random.Next(12) * TimeSpan.TicksPerDay) + random.Next(1_000_000)).ToArray();
        var converted = Enumerable.Range(0, n).Select(_ => random.Next(3) switch { 0 => (bool?)null, 1 => true, _ => false }).ToArray();
        var window = new MonitoringWindowData(schema, new Dictionary<string, double[]>(), new Dictionary<string, string?[]>(),
            scores, scores.Select(MonitoringFixtures.Band).ToArray(), converted, new double?[n], ticks);

        var atCapacity = BusinessReport.Of(window, new MonitoringOptions { DailyCapacity = 25 }).AtCapacity;

        var top = Enumerable.Range(0, n).GroupBy(i => ticks[i] / TimeSpan.TicksPerDay).SelectMany(day => day.OrderByDescending(i => scores[i]).Take(25)).ToList();
        Assert.Equal(12, atCapacity.Days);
        Assert.Equal(12 * 25, atCapacity.Selected);
        Assert.Equal(top.Count(i => converted[i].HasValue), atCapacity.Labelled);
        Assert.Equal(top.Count(i => converted[i] == true), atCapacity.Conversions);
    }
}
