using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class QualityTests
{
    [Fact]
    public void Auc_of_negated_scores_is_one_minus_auc()
    {
        var rng = new Random(21);
        for (var round = 0; round < 100; round++)
        {
            var (labels, scores) = Simulated(rng, rng.Next(2, 300), rounded: round % 2 == 0);
            if (labels.All(l => l) || labels.All(l => !l))
            {
                continue;
            }

            var auc = ClassificationMetrics.RocAuc(labels, scores);
            var negated = ClassificationMetrics.RocAuc(labels, scores.Select(s => -s).ToArray());

            Assert.Equal(1 - auc, negated, 12);
        }
    }

    [Fact]
    public void Calibration_bin_counts_add_up_to_the_number_of_scores()
    {
        var rng = new Random(22);
        for (var round = 0; round < 100; round++)
        {
            var (labels, scores) = Simulated(rng, rng.Next(1, 500), rounded: round % 3 == 0);
            var bins = rng.Next(1, 25);

            var table = ClassificationMetrics.Calibration(labels, scores, bins);

            Assert.Equal(scores.Length, table.Sum(b => b.Count));
        }
    }

    [Fact]
    public void Scores_on_bin_boundaries_fall_in_the_upper_bin_and_one_in_the_last()
    {
        var table = ClassificationMetrics.Calibration([false, true, true, false], [0.0, 0.1, 0.9, 1.0]);

        Assert.Equal([0, 1, 9], table.Select(b => b.Bin));
        Assert.Equal([1L, 1, 2], table.Select(b => b.Count));
    }

    [Fact]
    public void All_tied_scores_give_an_auc_of_one_half()
    {
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([true, false, true, false], [0.3, 0.3, 0.3, 0.3]));
    }

    [Fact]
    public void Auc_needs_both_classes_and_says_so()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, true], [0.2, 0.4]));
        Assert.Contains("needs both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nan_scores_are_rejected_with_their_index()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, false], [0.2, double.NaN]));
        Assert.Contains("scores[1] is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Best_f1_and_precision_target_pick_the_expected_thresholds()
    {
        bool[] labels = [true, true, false, true, false, false];
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.1];

        var best = ClassificationMetrics.BestF1(labels, scores);
        var forPrecision = ClassificationMetrics.ForPrecision(labels, scores, 0.75);

        Assert.Equal(0.6, best.Threshold);
        Assert.Equal(1.0, best.Recall);
        Assert.Equal(0.6, forPrecision!.Threshold);
        Assert.Equal(0.75, forPrecision.Precision);
        Assert.Null(ClassificationMetrics.ForPrecision([false, true], [0.9, 0.1], 0.9));
    }

    [Fact]
    public void Lift_by_decile_concentrates_conversions_in_the_top_groups_and_gain_reaches_one()
    {
        var (labels, scores) = Simulated(new Random(23), 1000, rounded: false);

        var table = LiftAnalysis.ByGroup(labels, scores);

        Assert.Equal(10, table.Count);
        Assert.All(table, row => Assert.Equal(100, row.Count));
        Assert.True(table[0].Lift > 1.5);
        Assert.True(table[^1].Lift < 1);
        Assert.Equal(1.0, table[^1].CumulativeGain, 12);
        Assert.Equal(1.0, table[^1].CumulativeLift, 12);
        Assert.True(table[0].MinScore >= table[1].MaxScore);
    }

    [Fact]
    public void Lift_groups_of_a_small_sample_still_cover_every_lead()
    {
        var table = LiftAnalysis.ByGroup([true, false, false], [0.9, 0.5, 0.1], groups: 10);

        Assert.Equal(3, table.Count);
        Assert.Equal(3, table.Sum(r => r.Count));
        Assert.Equal(3.0, table[0].Lift, 12);
    }

    [Fact]
    public void Conversion_by_score_bucket_keeps_empty_buckets_and_puts_one_in_the_last()
    {
        var buckets = LiftAnalysis.ConversionByScoreBucket([true, false, true, true], [0.05, 0.15, 0.95, 1.0], 5);

        Assert.Equal(5, buckets.Count);
        Assert.Equal([2L, 0, 0, 0, 2], buckets.Select(b => b.Count));
        Assert.Equal(0.5, buckets[0].ConversionRate);
        Assert.Equal(1.0, buckets[4].ConversionRate);
    }

    internal static (bool[] Labels, double[] Scores) Simulated(Random rng, int n, bool rounded)
    {
        var labels = new bool[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            var p = 1 / (1 + Math.Exp(-((Gaussian(rng) * 1.5) - 1)));
            scores[i] = rounded ? Math.Round(p, 1) : p;
            labels[i] = rng.NextDouble() < p;
        }

        return (labels, scores);
    }

    internal static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
