using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class SequentialTestTests
{
    private const double Alpha = 0.05;

    [Fact]
    public void Daily_peeking_at_an_aa_test_keeps_the_msprt_false_positive_rate_at_or_below_alpha()
    {
        // 10,000 A/A experiments, 30 daily looks, 200 leads per arm per day at an 8 % conversion rate.
        var tau2 = MixtureSequentialTest.MixingVarianceFor(0.08, 0.10);
        var result = SequentialSimulation.Run(new Random(20240611), repetitions: 10000, looks: 30, leadsPerArmPerLook: 200, rate: 0.08, mixingVariance: tau2, alpha: Alpha);

        // Within simulation error of α (three standard errors), and far below naive peeking.
        Assert.True(result.SequentialRate <= Alpha + (3 * result.StandardError(Alpha)), $"mSPRT false-positive rate {result.SequentialRate}");
        Assert.True(result.NaivePeekingRate > 2 * Alpha, $"naive peeking rate {result.NaivePeekingRate} should show the peeking problem");
        Assert.InRange(result.FixedHorizonRate, Alpha - (3 * result.StandardError(Alpha)), Alpha + (3 * result.StandardError(Alpha)));
    }

    [Fact]
    public void The_msprt_detects_a_real_lift()
    {
        var tau2 = MixtureSequentialTest.MixingVarianceFor(0.08, 0.25);
        var rng = new Random(99);
        var detected = 0;
        for (var r = 0; r < 200; r++)
        {
            var monitor = SequentialMonitor.Start(tau2, Alpha);
            long leads = 0, control = 0, treatment = 0;
            for (var day = 0; day < 30; day++)
            {
                leads += 500;
                for (var i = 0; i < 500; i++)
                {
                    control += rng.NextDouble() < 0.08 ? 1 : 0;
                    treatment += rng.NextDouble() < 0.10 ? 1 : 0;
                }

                monitor = monitor.ObserveConversions(leads, control, leads, treatment);
            }

            detected += monitor.RejectNull ? 1 : 0;
        }

        Assert.True(detected >= 160, $"detected {detected} of 200 lifts from 8 % to 10 %");
    }

    [Fact]
    public void The_running_p_value_never_increases_and_the_interval_only_narrows()
    {
        var monitor = SequentialMonitor.Start(1e-4);
        var rng = new Random(4);
        long leads = 0, control = 0, treatment = 0;
        for (var day = 0; day < 20; day++)
        {
            leads += 300;
            for (var i = 0; i < 300; i++)
            {
                control += rng.NextDouble() < 0.1 ? 1 : 0;
                treatment += rng.NextDouble() < 0.1 ? 1 : 0;
            }

            var next = monitor.ObserveConversions(leads, control, leads, treatment);

            Assert.True(next.PValue <= monitor.PValue);
            Assert.True(next.Interval.Lower >= monitor.Interval.Lower && next.Interval.Upper <= monitor.Interval.Upper);
            monitor = next;
        }

        Assert.Equal(20, monitor.Looks);
    }

    [Fact]
    public void The_interval_excludes_zero_exactly_when_the_look_rejects()
    {
        foreach (var estimate in new[] { 0.0, 0.005, 0.01, 0.02, -0.03 })
        {
            var look = MixtureSequentialTest.Evaluate(estimate, 2e-5, 1e-4, Alpha);

            Assert.Equal(look.PValue <= Alpha, !look.Interval.Contains(0));
        }
    }

    [Fact]
    public void A_look_without_information_gives_no_evidence()
    {
        var look = MixtureSequentialTest.EvaluateConversions(100, 0, 100, 0, 1e-4);

        Assert.Equal(1, look.PValue);
        Assert.Equal(1, look.LikelihoodRatio);
    }
}
