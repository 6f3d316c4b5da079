using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class PerformanceEstimationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Cbpe_on_perfectly_calibrated_scores_lands_within_two_points_of_the_realised_auc(int seed)
    {
        var (labels, scores) = QualityTests.Simulated(new Random(seed), 20000, rounded: false);

        var realised = PerformanceMetrics.Realised(labels, scores, 0.5);
        var estimated = ConfidenceBasedPerformanceEstimation.Estimate(scores, 0.5);

        Assert.Equal(MetricsSource.Estimated, estimated.Source);
        Assert.InRange(estimated.RocAuc - realised.RocAuc, -0.02, 0.02);
        Assert.InRange(estimated.Precision - realised.Precision, -0.03, 0.03);
        Assert.InRange(estimated.Recall - realised.Recall, -0.03, 0.03);
        Assert.InRange(estimated.PositiveRate - realised.PositiveRate, -0.02, 0.02);
    }

    [Fact]
    public void Cbpe_auc_equals_the_expected_pairwise_concordance()
    {
        // Brute force: Σ_i Σ_j p_i (1 − p_j) [s_i > s_j] + ½ ties (self pairs included, as the trapezoid does).
        double[] p = [0.1, 0.4, 0.4, 0.7, 0.9];
        double num = 0, pos = p.Sum(), neg = p.Sum(x => 1 - x);
        foreach (var a in p)
        {
            foreach (var b in p)
            {
                num += a * (1 - b) * (a > b ? 1 : a == b ? 0.5 : 0);
            }
        }

        var estimated = ConfidenceBasedPerformanceEstimation.Estimate(p, 0.5);

        Assert.Equal(num / (pos * neg), estimated.RocAuc, 12);
    }

    [Fact]
    public void Cbpe_precision_and_recall_are_ratios_of_expected_counts()
    {
        double[] p = [0.2, 0.6, 0.8];

        var estimated = ConfidenceBasedPerformanceEstimation.Estimate(p, 0.5);

        Assert.Equal((0.6 + 0.8) / 2, estimated.Precision, 12);
        Assert.Equal((0.6 + 0.8) / 1.6, estimated.Recall, 12);
    }

    [Fact]
    public void Cbpe_rejects_scores_outside_the_unit_interval()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfidenceBasedPerformanceEstimation.Estimate([0.2, 1.5], 0.5));
        Assert.Contains("calibratedScores[1] is 1.5", error.Message, StringComparison.Ordinal);
    }
}
