using LeadScoring.Core.Deployments;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class RecommendationTests
{
    // 10 % against 13 % on 20,000 labelled leads per arm: always-valid p far below 0.05 (z ≈ 9.4).
    private static readonly LeadObservation[] Champion = ArmFiguresTests.Arm(20_000, 2000);
    private static readonly LeadObservation[] Better = ArmFiguresTests.Arm(20_000, 2600);
    private static readonly LeadObservation[] Worse = ArmFiguresTests.Arm(20_000, 1500);

    [Fact]
    public void A_large_significant_lift_with_equal_errors_and_latency_promotes()
    {
        var analysis = ArmFiguresTests.Analyze(Champion, Better, 0.5, null, new ArmTraffic(20_000, 20), new ArmTraffic(20_000, 20));

        Assert.Equal(RecommendationKind.Promote, analysis.Recommendation.Kind);
        Assert.True(analysis.Difference!.Conversion!.AlwaysValidPValue < 1e-6);
        Assert.StartsWith("The challenger is better: conversion rate 13 % against 10 %, +30 % (always-valid p = 0)", analysis.Recommendation.Reason, StringComparison.Ordinal);
        Assert.Contains("error rate 0.1 % against 0.1 %", analysis.Recommendation.Reason, StringComparison.Ordinal);
        Assert.Contains("P95 2 ms against 2 ms", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.04, RecommendationKind.Continue)] // significant but +4 %: below the 5 % that matters
    [InlineData(1.06, RecommendationKind.Promote)]
    public void A_significant_lift_must_reach_the_minimum(double ratio, RecommendationKind expected)
    {
        // 200,000 labelled leads per arm at 30 %: a 4 % lift is already significant.
        var champion = ArmFiguresTests.Arm(200_000, 60_000);
        var challenger = ArmFiguresTests.Arm(200_000, (int)(60_000 * ratio));

        var analysis = ArmFiguresTests.Analyze(champion, challenger, 0.5);

        Assert.True(analysis.Difference!.Conversion!.SignificantlyBetter(0.05));
        Assert.Equal(expected, analysis.Recommendation.Kind);
    }

    [Fact]
    public void A_higher_error_rate_blocks_promotion()
    {
        // 2 % against 0.1 % errors: one-sided z-test p ≈ 0.
        var analysis = ArmFiguresTests.Analyze(Champion, Better, 0.5, null, new ArmTraffic(20_000, 20), new ArmTraffic(20_000, 400));

        Assert.Equal(RecommendationKind.Continue, analysis.Recommendation.Kind);
        Assert.Contains("but its error rate 2 % against 0.1 % (one-sided p = 0) is higher", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slightly_higher_error_rate_that_is_noise_does_not_block()
    {
        // 12 against 10 errors in 20,000: one-sided p ≈ 0.33.
        var analysis = ArmFiguresTests.Analyze(Champion, Better, 0.5, null, new ArmTraffic(20_000, 10), new ArmTraffic(20_000, 12));

        Assert.Equal(RecommendationKind.Promote, analysis.Recommendation.Kind);
    }

    [Theory]
    [InlineData(3.0, RecommendationKind.Promote)] // exactly 1.5 × 2 ms
    [InlineData(3.01, RecommendationKind.Continue)]
    public void Latency_must_hold_for_promotion(double p95, RecommendationKind expected)
    {
        var analysis = ArmFiguresTests.Analyze(
            Champion, Better, 0.5, null, new ArmTraffic(20_000, 0, new LatencyQuantiles(1, 2, 4)), new ArmTraffic(20_000, 0, new LatencyQuantiles(1, p95, 4)));

        Assert.Equal(expected, analysis.Recommendation.Kind);
        if (expected == RecommendationKind.Continue)
        {
            Assert.Contains("its P95 3.01 ms against 2 ms is above 1.5 × the champion's", analysis.Recommendation.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_significantly_worse_challenger_stops()
    {
        var analysis = ArmFiguresTests.Analyze(Champion, Worse, 0.5);

        Assert.Equal(RecommendationKind.Stop, analysis.Recommendation.Kind);
        Assert.Equal("stop", analysis.Recommendation.Name);
        Assert.StartsWith("The challenger is significantly worse: conversion rate 7.5 % against 10 %, -25 %", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_enough_evidence_the_reason_names_the_progress()
    {
        var analysis = ArmFiguresTests.Analyze(ArmFiguresTests.Arm(1000, 100), ArmFiguresTests.Arm(1000, 104), 0.5);

        Assert.Equal(RecommendationKind.Continue, analysis.Recommendation.Kind);
        Assert.EndsWith("; 1000 of the 57763 labelled leads per arm needed to detect a 5 % lift (1.73 %).", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_split_withholds_even_a_clear_win()
    {
        var analysis = ArmFiguresTests.Analyze(Champion, Better, 0.10);

        Assert.Equal(ExperimentStatus.Broken, analysis.Status);
        Assert.Equal(RecommendationKind.Withheld, analysis.Recommendation.Kind);
    }

    [Fact]
    public void Bad_options_and_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmFiguresTests.Analyze(Champion, Better, 0.5, ExperimentOptions.Default with { Alpha = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmFiguresTests.Analyze(Champion, Better, 0.5, ExperimentOptions.Default with { DailyCallCapacity = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmFiguresTests.Analyze(Champion, Better, 1.5));
        Assert.Throws<ArgumentException>(() => ArmFiguresTests.Analyze([new(double.NaN, "x", null, true)], Better, 0.5));
        Assert.Throws<ArgumentException>(() => ArmFiguresTests.Analyze(Champion, Better, 0.5, null, new ArmTraffic(1, 2)));
    }
}
