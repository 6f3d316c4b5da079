using LeadScoring.Core.Deployments;
using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Deployments;

/// <summary>Per-arm figures, differences and the sample-ratio check on cases small enough to compute by hand.</summary>
public sealed class ArmFiguresTests
{
    // Labelled: 0.9 converted (revenue 100), 0.8 not, 0.3 converted (no revenue reported), 0.2 not; 0.5 unlabelled.
    private static readonly LeadObservation[] SmallArm =
    [
        new(0.9, "hot", 1000, true, 100),
        new(0.8, "hot", 2000, false),
        new(0.3, "cold", 3000, true),
        new(0.2, "cold", 4000, false),
        new(0.5, "warm", 5000, null),
    ];

    [Fact]
    public void An_arm_summary_counts_rates_revenue_auc_latency_and_errors()
    {
        var arm = ArmSummary.Of(SmallArm, new ArmTraffic(10, 1));

        Assert.Equal(5, arm.Leads);
        Assert.Equal(4, arm.Labelled);
        Assert.Equal(2, arm.Conversions);
        Assert.Equal(0.5, arm.ConversionRate);
        Assert.Equal(25.0, arm.RevenuePerLead); // 100 over 4 labelled leads
        Assert.Equal(0.75, arm.RocAuc); // 3 of the 4 converted/non-converted pairs ordered right
        Assert.Equal(3.0, arm.LatencyP50Ms);
        Tolerance.Statistic(4.8, arm.LatencyP95Ms!.Value, "P95"); // linear interpolation at h = 4 × 0.95 = 3.8
        Tolerance.Statistic(4.96, arm.LatencyP99Ms!.Value, "P99");
        Assert.Equal(0.1, arm.ErrorRate);

        // Wilson for 2/4 at 95 %: (0.150039, 0.849961).
        Tolerance.Statistic(0.15003898915214958, arm.ConversionInterval!.Value.Lower, "Wilson lower");
        Tolerance.Statistic(0.8499610108478504, arm.ConversionInterval!.Value.Upper, "Wilson upper");
    }

    [Fact]
    public void Counter_latency_overrides_the_observations_and_an_empty_arm_reports_unknowns()
    {
        var fromCounters = ArmSummary.Of(SmallArm, new ArmTraffic(10, 0, new LatencyQuantiles(1, 2, 3)));
        var empty = ArmSummary.Of([], ArmTraffic.None);

        Assert.Equal(2, fromCounters.LatencyP95Ms);
        Assert.Equal(0, empty.Leads);
        Assert.Null(empty.ConversionRate);
        Assert.Null(empty.ConversionInterval);
        Assert.Null(empty.RevenuePerLead);
        Assert.Null(empty.RocAuc);
        Assert.Null(empty.LatencyP95Ms);
        Assert.Null(empty.ErrorRate);
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.27753279986288915)]
    [InlineData(8, 10, 0.49016247153664183, 0.9433178485456247)]
    public void The_wilson_interval_matches_its_formula(long successes, long trials, double lower, double upper)
    {
        var interval = ArmSummary.Wilson(successes, trials);

        Assert.Equal(lower, interval.Lower, 12);
        Assert.Equal(upper, interval.Upper, 12);
    }

    [Fact]
    public void The_conversion_difference_uses_the_always_valid_p_value_not_the_fixed_horizon_one()
    {
        // 100/1,000 vs 130/1,000: pooled z-test p = 0.0355 (significant at one look decided in advance), while the
        // mSPRT with τ² = (0.10 × 0.05)² gives Λ = 1.2030, always-valid p = 0.8313: no promotion on this evidence.
        var analysis = Analyze(Arm(1000, 100), Arm(1000, 130), share: 0.5);
        var conversion = analysis.Difference!.Conversion!;

        Tolerance.PValue(0.03548845046647473, conversion.FixedHorizonPValue, "z-test p");
        Tolerance.PValue(0.8312742269321001, conversion.AlwaysValidPValue, "mSPRT p");
        Tolerance.Statistic(0.03, conversion.Difference, "difference");
        Tolerance.Statistic(0.3, conversion.RelativeLift!.Value, "relative lift");
        Assert.Equal(RecommendationKind.Continue, analysis.Recommendation.Kind);
        Assert.Contains("conversion rate 13 % against 10 %, +30 % (always-valid p = 0.8313)", analysis.Recommendation.Reason, StringComparison.Ordinal);

        // The same look through the existing sequential test.
        var look = MixtureSequentialTest.EvaluateConversions(1000, 100, 1000, 130, MixtureSequentialTest.MixingVarianceFor(0.10, 0.05));
        Tolerance.PValue(look.PValue, conversion.AlwaysValidPValue);
        Assert.Equal(look.Interval, conversion.Sequential.Interval);
    }

    [Fact]
    public void Sample_size_and_progress_follow_the_minimum_lift()
    {
        var analysis = Analyze(Arm(1000, 100), Arm(800, 90), share: 0.5);
        var size = analysis.Difference!.SampleSize!;

        Assert.Equal(SampleSize.PerArm(0.10, 0.05), size.RequiredPerArm);
        Assert.Equal(57_763, size.RequiredPerArm); // ⌈(1.95996·√(2·0.1025·0.8975) + 0.84162·√(0.09 + 0.093975))² / 0.005²⌉
        Assert.Equal(800, size.LabelledPerArm);
        Tolerance.Statistic(800.0 / 57_763, size.Progress, "progress");
    }

    [Fact]
    public void Revenue_per_lead_is_compared_over_labelled_leads_with_unreported_revenue_as_zero()
    {
        // Champion revenue per labelled lead [100, 0, 0, 0] (the second converted without revenue); challenger [300, 50, 0, 0].
        LeadObservation[] champion = [new(0.9, "hot", null, true, 100), new(0.8, "hot", null, true), new(0.3, "cold", null, false), new(0.2, "cold", null, false)];
        LeadObservation[] challenger = [new(0.9, "hot", null, true, 300), new(0.8, "hot", null, true, 50), new(0.3, "cold", null, false), new(0.2, "cold", null, false)];

        var revenue = ExperimentAnalyzer.Analyze(ExperimentInput.Split(0.5, champion, challenger), ExperimentOptions.Default).Difference!.RevenuePerLead!;

        Assert.Equal(25.0, revenue.Champion);
        Assert.Equal(87.5, revenue.Challenger);
        Assert.Equal(2.5, revenue.RelativeLift);
        var welch = ExperimentComparison.RevenuePerLead(4, [100, 0], 4, [300, 50]);
        Tolerance.PValue(welch.PValue, revenue.FixedHorizonPValue, "Welch p");

        // Variances 2,500 and 20,625 (ddof 1): V = 5,781.25, τ² = (25 × 0.05)²; the mSPRT caps the p-value at 1.
        var look = MixtureSequentialTest.Evaluate(62.5, (2500.0 / 4) + (20625.0 / 4), 25 * 0.05 * 25 * 0.05);
        Tolerance.PValue(look.PValue, revenue.AlwaysValidPValue);
        Assert.Equal(1.0, revenue.AlwaysValidPValue);
    }

    [Fact]
    public void Arm_aucs_are_compared_with_their_delong_variances_added()
    {
        // Champion: AUC 0.75 with DeLong variance 0.125/2 + 0.125/2 = 0.125; challenger ranks perfectly: AUC 1, variance 0.
        LeadObservation[] perfect = [new(0.9, "hot", null, true), new(0.8, "hot", null, true), new(0.3, "cold", null, false), new(0.2, "cold", null, false)];

        var auc = ExperimentAnalyzer.Analyze(ExperimentInput.Split(0.5, SmallArm, perfect), ExperimentOptions.Default).Difference!.RocAuc!;

        Assert.Equal(0.75, auc.Champion);
        Assert.Equal(1.0, auc.Challenger);
        Tolerance.Statistic(0.125, auc.Sequential.StandardError * auc.Sequential.StandardError, "variance");
        Tolerance.PValue(MixtureSequentialTest.Evaluate(0.25, 0.125, 0.75 * 0.02 * 0.75 * 0.02).PValue, auc.AlwaysValidPValue);
    }

    [Fact]
    public void A_skewed_split_is_a_sample_ratio_mismatch_and_withholds_the_recommendation()
    {
        // Configured 10 %, observed 1,100 of 10,000: χ² = 100²/1,000 + 100²/9,000 = 11.11, p = 0.000858 < 0.001.
        var analysis = Analyze(Arm(8900, 890), Arm(1100, 200), share: 0.10);

        Assert.Equal(ExperimentStatus.Broken, analysis.Status);
        Assert.Equal("broken", analysis.StatusName);
        Tolerance.Statistic(10 + (10.0 / 9), analysis.SampleRatio!.ChiSquare, "χ²");
        Tolerance.PValue(0.0008581206663936747, analysis.SampleRatio.PValue);
        Assert.Equal(RecommendationKind.Withheld, analysis.Recommendation.Kind);
        Assert.Equal("withheld", analysis.Recommendation.Name);
        Assert.Contains("1100 of 10000 leads (11 %) against a configured 10 %", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fair_split_and_a_mild_departure_pass_the_sample_ratio_check()
    {
        var fair = Analyze(Arm(5000, 500), Arm(5000, 500), share: 0.5);
        var mild = SampleRatioCheck.Of(8950, 1050, 0.10)!; // χ² = 2.78, p = 0.0956

        Assert.Equal(ExperimentStatus.Ok, fair.Status);
        Assert.Equal(0, fair.SampleRatio!.ChiSquare);
        Assert.Equal(1, fair.SampleRatio.PValue);
        Assert.False(mild.Mismatch);
        Tolerance.PValue(0.0955807045456294, mild.PValue);
        Assert.Null(SampleRatioCheck.Of(3, 1, 0.5)); // 2 expected leads per arm: not judged
        Assert.Null(SampleRatioCheck.Of(0, 1000, 1.0)); // a canary at 100 %: nothing to compare
    }

    internal static ExperimentAnalysis Analyze(LeadObservation[] champion, LeadObservation[] challenger, double share, ExperimentOptions? options = null, ArmTraffic? championTraffic = null, ArmTraffic? challengerTraffic = null) =>
        ExperimentAnalyzer.Analyze(ExperimentInput.Split(share, champion, challenger, championTraffic, challengerTraffic), options ?? ExperimentOptions.Default);

    /// <summary>An arm of <paramref name="leads"/> labelled leads, the first <paramref name="conversions"/> converted; every score 0.5 (no AUC).</summary>
    internal static LeadObservation[] Arm(int leads, int conversions) =>
        [.. Enumerable.Range(0, leads).Select(i => new LeadObservation(0.5, "warm", 2000, i < conversions))];
}
