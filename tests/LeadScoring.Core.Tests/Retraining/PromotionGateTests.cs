using LeadScoring.Core.Retraining;
using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Retraining;

public sealed class PromotionGateTests
{
    private static readonly DateTimeOffset Day = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);

    // One day, four converted and four not. Champion: positives .9 .7 .5 .3 over negatives .8 .6 .4 .2 win 10 of
    // 16 pairs (AUC 0.625); the challenger lifts the last positive to .45 and wins 11 (0.6875): +10 % relative.
    private static readonly bool[] Labels = [true, true, true, true, false, false, false, false];
    private static readonly double[] Champion = [0.9, 0.7, 0.5, 0.3, 0.8, 0.6, 0.4, 0.2];
    private static readonly double[] Challenger = [0.9, 0.7, 0.5, 0.45, 0.8, 0.6, 0.4, 0.2];

    // Every lead is called (capacity 8 ≥ a day's leads), so captured conversions tie; calibration is not the point here.
    private static readonly GateOptions AucOnly = GateOptions.Default with { DailyCapacity = 8, EceTolerance = 0.5 };

    [Fact]
    public void The_auc_criterion_alone_passes_at_its_boundary_and_fails_just_above_it()
    {
        var result = PromotionGate.Evaluate(Input(Labels, Champion, Challenger), AucOnly);

        Assert.Equal(0.625, result.ChampionAuc);
        Assert.Equal(0.6875, result.ChallengerAuc);
        Tolerance.Statistic(0.1, result.RelativeAucGain!.Value, "relative AUC gain");
        Assert.Equal((4, 4), (result.ChampionCaptured, result.ChallengerCaptured));
        Assert.False(result.CapturedMet);
        Assert.True(result.Passed);

        var gain = result.RelativeAucGain.Value;
        Assert.True(PromotionGate.Evaluate(Input(Labels, Champion, Challenger), AucOnly with { MinRelativeAucGain = gain }).Passed);
        var above = PromotionGate.Evaluate(Input(Labels, Champion, Challenger), AucOnly with { MinRelativeAucGain = Math.BitIncrement(gain) });
        Assert.False(above.AucMet);
        Assert.False(above.Passed);
    }

    [Fact]
    public void The_captured_criterion_alone_passes_at_five_percent_and_fails_just_above_it()
    {
        // 21 days of two leads, one converted; one call a day. The challenger puts the converted lead first every day,
        // the champion on 20 of them: 21 vs 20 captured, exactly +5 %.
        var (labels, times, champion, challenger) = TwoLeadDays(21, championHits: 20, challengerHits: 21);
        var options = GateOptions.Default with { DailyCapacity = 1, MinRelativeAucGain = 0.99, EceTolerance = 0.5 };

        var result = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), options);

        Assert.Equal((20, 21, 21), (result.ChampionCaptured, result.ChallengerCaptured, result.Days));
        Assert.Equal(0.05, result.CapturedGain);
        Assert.True(result.CapturedMet);
        Assert.False(result.AucMet);
        Assert.True(result.Passed);

        var above = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), options with { MinCapturedGain = Math.BitIncrement(0.05) });
        Assert.False(above.CapturedMet);
        Assert.False(above.Passed);
    }

    [Fact]
    public void A_champion_that_captured_nothing_counts_as_a_gain_only_when_the_challenger_captured_something()
    {
        var options = GateOptions.Default with { DailyCapacity = 1, MinRelativeAucGain = 0.99, EceTolerance = 0.5 };
        var (labels, times, champion, challenger) = TwoLeadDays(3, championHits: 0, challengerHits: 1);
        var (_, _, _, none) = TwoLeadDays(3, championHits: 0, challengerHits: 0);

        var gain = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), options);
        var nothing = PromotionGate.Evaluate(new GateInput(labels, times, champion, none), options);

        Assert.Null(gain.CapturedGain);
        Assert.True(gain.CapturedMet);
        Assert.Contains(gain.Reasons, r => r.Contains("1 vs 0: the champion captured none", StringComparison.Ordinal));
        Assert.False(nothing.CapturedMet);
        Assert.False(nothing.Passed);
    }

    [Fact]
    public void A_better_ranking_but_worse_calibrated_challenger_is_vetoed_unless_the_tolerance_allows_it()
    {
        var (labels, times, champion, challenger) = Simulated(2000, seed: 11);

        var vetoed = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), GateOptions.Default);

        Assert.True(vetoed.AucMet, $"AUC {vetoed.ChallengerAuc} vs {vetoed.ChampionAuc}");
        Assert.True(vetoed.ChallengerEce > vetoed.ChampionEce + 0.05, $"ECE {vetoed.ChallengerEce} vs {vetoed.ChampionEce}");
        Assert.False(vetoed.CalibrationMet);
        Assert.False(vetoed.Passed);
        Assert.StartsWith("failed: the challenger ranks better but is worse calibrated (calibration veto)", vetoed.Reasons[^1], StringComparison.Ordinal);

        var excess = vetoed.ChallengerEce - vetoed.ChampionEce;
        Assert.True(PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), GateOptions.Default with { EceTolerance = excess + 1e-12 }).Passed);
        Assert.False(PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), GateOptions.Default with { EceTolerance = excess - 1e-12 }).Passed);
    }

    [Fact]
    public void Identical_scores_fail_the_gate()
    {
        var (labels, times, champion, _) = Simulated(1000, seed: 12);

        var result = PromotionGate.Evaluate(new GateInput(labels, times, champion, (double[])champion.Clone()), GateOptions.Default);

        Assert.False(result.Passed);
        Assert.Equal(0, result.RelativeAucGain);
        Assert.Equal(0, result.CapturedGain);
        Assert.True(result.CalibrationMet);
        Assert.Equal(0, result.DeLong!.Difference);
        Assert.Equal(1, result.DeLong.PValue);
        Assert.False(result.DeLongSignificant);
        Assert.StartsWith("failed: neither the AUC nor the captured conversions improved enough", result.Reasons[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Days_are_utc_calendar_days_and_ties_go_to_the_earlier_row()
    {
        bool[] labels = [true, true, false, true, false];
        DateTimeOffset[] times =
        [
            Day.AddHours(9),
            Day.AddHours(10),
            new(2030, 6, 2, 1, 0, 0, TimeSpan.FromHours(2)), // 23:00 UTC on June 1st: the first day, though local time says the second
            Day.AddDays(1).AddHours(9),
            Day.AddDays(1).AddHours(10),
        ];
        double[] scores = [0.9, 0.8, 0.95, 0.1, 0.2];

        // One call a day: the late-evening lead (not converted) tops day one, the 0.2 lead (not converted) day two.
        Assert.Equal((0, 2), CapacityCapture.Count(labels, times, scores, 1));
        Assert.Equal((2, 2), CapacityCapture.Count(labels, times, scores, 2));
        Assert.Equal((3, 2), CapacityCapture.Count(labels, times, scores, 100));

        // Equal scores: the earlier row is called first.
        Assert.Equal((0, 1), CapacityCapture.Count([false, true], [Day, Day], [0.5, 0.5], 1));
        Assert.Equal((1, 1), CapacityCapture.Count([true, false], [Day, Day], [0.5, 0.5], 1));
    }

    [Fact]
    public void The_reasons_name_the_numbers_of_each_criterion_and_the_verdict()
    {
        var result = PromotionGate.Evaluate(Input(Labels, Champion, Challenger), AucOnly);

        Assert.Equal(5, result.Reasons.Count);
        Assert.Equal("ROC AUC 0.688 vs 0.625: +10.0 % relative, needs +2.0 %: met", result.Reasons[0]);
        Assert.Equal("conversions captured calling the top 8 leads of each of 1 day: 4 vs 4: +0.0 %, needs +5.0 %: not met", result.Reasons[1]);
        Assert.Equal(
            FormattableString.Invariant($"calibration (ECE over 10 bins) {result.ChallengerEce:0.0000} vs {result.ChampionEce:0.0000}: may exceed the champion's by at most 0.5000: met"),
            result.Reasons[2]);
        Assert.StartsWith("DeLong test on the 8 shared leads (reported, not required): AUC difference +0.063 (95 % CI ", result.Reasons[3], StringComparison.Ordinal);
        Assert.Equal("passed: the AUC improved enough, and the challenger is not worse calibrated (8 leads, 4 converted)", result.Reasons[4]);
    }

    [Fact]
    public void The_reported_delong_test_is_delong_compare_with_the_interval_at_one_minus_alpha()
    {
        var (labels, times, champion, challenger) = Simulated(1500, seed: 13);
        var expected = DeLong.Compare(labels, champion, challenger);

        var result = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), GateOptions.Default);
        var at99 = PromotionGate.Evaluate(new GateInput(labels, times, champion, challenger), GateOptions.Default with { Alpha = 0.01 });

        Assert.Equal(expected, result.DeLong);
        Assert.Equal(expected.AucChampion, result.ChampionAuc);
        Assert.Equal(expected.AucChallenger, result.ChallengerAuc);
        // The default level is DeLong's own 95 % interval, turned round to challenger − champion.
        Tolerance.Statistic(-expected.DifferenceUpper, result.AucDifferenceLower!.Value, "lower");
        Tolerance.Statistic(-expected.DifferenceLower, result.AucDifferenceUpper!.Value, "upper");
        Assert.Equal(expected.PValue < 0.05, result.DeLongSignificant);
        Tolerance.Statistic(2.5758293035489004 * expected.StandardError, at99.AucDifferenceUpper!.Value + expected.Difference, "99 % half-width");
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        DateTimeOffset[] times = [Day, Day, Day];
        var lengths = Assert.Throws<ArgumentException>(() => PromotionGate.Evaluate(new GateInput([true, false, true], times, [0.1, 0.2, 0.3], [0.1, 0.2]), GateOptions.Default));
        Assert.Contains("3 labels, 3 times, 3 champion scores, 2 challenger scores", lengths.Message, StringComparison.Ordinal);

        var positives = Assert.Throws<ArgumentException>(() => PromotionGate.Evaluate(new GateInput([false, false, false], times, [0.1, 0.2, 0.3], [0.1, 0.2, 0.3]), GateOptions.Default));
        Assert.Contains("0 converted and 3 non-converted", positives.Message, StringComparison.Ordinal);
        var negatives = Assert.Throws<ArgumentException>(() => PromotionGate.Evaluate(new GateInput([true, true, true], times, [0.1, 0.2, 0.3], [0.1, 0.2, 0.3]), GateOptions.Default));
        Assert.Contains("3 converted and 0 non-converted", negatives.Message, StringComparison.Ordinal);

        var nan = Assert.Throws<ArgumentException>(() => PromotionGate.Evaluate(new GateInput([true, false, true], times, [0.1, 0.2, 0.3], [0.1, double.NaN, 0.3]), GateOptions.Default));
        Assert.Contains("challenger's score of row 1 is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PromotionGate.Evaluate(new GateInput([true, false, true], times, [0.1, 1.2, 0.3], [0.1, 0.2, 0.3]), GateOptions.Default));
    }

    [Theory]
    [InlineData(nameof(GateOptions.MinRelativeAucGain))]
    [InlineData(nameof(GateOptions.MinCapturedGain))]
    [InlineData(nameof(GateOptions.DailyCapacity))]
    [InlineData(nameof(GateOptions.EceTolerance))]
    [InlineData(nameof(GateOptions.CalibrationBins))]
    [InlineData(nameof(GateOptions.Alpha))]
    public void A_bad_option_is_named(string name)
    {
        var bad = name switch
        {
            nameof(GateOptions.MinRelativeAucGain) => GateOptions.Default with { MinRelativeAucGain = -0.01 },
            nameof(GateOptions.MinCapturedGain) => GateOptions.Default with { MinCapturedGain = double.NaN },
            nameof(GateOptions.DailyCapacity) => GateOptions.Default with { DailyCapacity = 0 },
            nameof(GateOptions.EceTolerance) => GateOptions.Default with { EceTolerance = -0.1 },
            nameof(GateOptions.CalibrationBins) => GateOptions.Default with { CalibrationBins = 0 },
            _ => GateOptions.Default with { Alpha = 1 },
        };

        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(bad.Validate).ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => PromotionGate.Evaluate(Input(Labels, Champion, Challenger), bad)).ParamName);
        GateOptions.Default.Validate();
    }

    private static GateInput Input(bool[] labels, double[] champion, double[] challenger) =>
        new(labels, [.. labels.Select((_, i) => Day.AddMinutes(i))], champion, challenger);

    // Days of two leads (converted first, then not); a model "hits" a day when it scores the converted lead higher.
    private static (bool[] Labels, DateTimeOffset[] Times, double[] Champion, double[] Challenger) TwoLeadDays(int days, int championHits, int challengerHits)
    {
        var labels = new List<bool>();
        var times = new List<DateTimeOffset>();
        var champion = new List<double>();
        var challenger = new List<double>();
        for (var d = 0; d < days; d++)
        {
            labels.AddRange([true, false]);
            times.AddRange([Day.AddDays(d).AddHours(9), Day.AddDays(d).AddHours(10)]);
            champion.AddRange(d < championHits ? [0.6, 0.4] : [0.4, 0.6]);
            challenger.AddRange(d < challengerHits ? [0.6, 0.4] : [0.4, 0.6]);
        }

        return ([.. labels], [.. times], [.. champion], [.. challenger]);
    }

    // Leads over five days whose true probability p is uniform; the champion sees p through heavy noise but stays
    // roughly calibrated, the challenger ranks by p exactly but squeezes it towards one half (badly calibrated).
    private static (bool[] Labels, DateTimeOffset[] Times, double[] Champion, double[] Challenger) Simulated(int n, int seed)
    {
        var random = new Random(seed);
        var labels = new bool[n];
        var times = new DateTimeOffset[n];
        var champion = new double[n];
        var challenger = new double[n];
        for (var i = 0; i < n; i++)
        {
            var p = random.NextDouble();
            labels[i] = random.NextDouble() < p;
            times[i] = Day.AddMinutes(i * 5.0 * 24 * 60 / n);
            champion[i] = random.NextDouble() < 0.5 ? p : random.NextDouble();
            challenger[i] = 0.5 + ((p - 0.5) * 0.2);
        }

        return (labels, times, champion, challenger);
    }
}
