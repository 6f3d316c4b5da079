namespace LeadScoring.Core.Statistics;

/// <summary>False-positive rates measured by an A/A simulation.</summary>
/// <param name="Repetitions">Simulated experiments.</param>
/// <param name="Looks">Looks (days) per experiment.</param>
/// <param name="LeadsPerArmPerLook">New leads per arm between looks.</param>
/// <param name="SequentialRate">Share of experiments the mSPRT ever called significant.</param>
/// <param name="NaivePeekingRate">Share a fixed-horizon z-test at α called significant at some look (the peeking problem).</param>
/// <param name="FixedHorizonRate">Share the z-test called significant at the final look only.</param>
internal sealed record AaSimulationResult(int Repetitions, int Looks, int LeadsPerArmPerLook, double SequentialRate, double NaivePeekingRate, double FixedHorizonRate)
{
    /// <summary>Binomial standard error of a rate near α: √(α(1 − α)/repetitions).</summary>
    public double StandardError(double alpha) => Math.Sqrt(alpha * (1 - alpha) / Repetitions);
}

/// <summary>
/// A/A experiments (both arms share one conversion rate) looked at after every simulated day, to measure how
/// often each method cries wolf. Seeded; used by the tests and by the benchmark project's longer run.
/// </summary>
internal static class SequentialSimulation
{
    public static AaSimulationResult Run(Random random, int repetitions, int looks, int leadsPerArmPerLook, double rate, double mixingVariance, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(random);
        var zCritical = NormalTail.Quantile(1 - (alpha / 2));
        int sequential = 0, naive = 0, fixedHorizon = 0;
        for (var r = 0; r < repetitions; r++)
        {
            var monitor = SequentialMonitor.Start(mixingVariance, alpha);
            long leads = 0, control = 0, treatment = 0;
            var naiveRejected = false;
            var lastZ = 0.0;
            for (var look = 0; look < looks; look++)
            {
                leads += leadsPerArmPerLook;
                control += Binomial(random, leadsPerArmPerLook, rate);
                treatment += Binomial(random, leadsPerArmPerLook, rate);
                monitor = monitor.ObserveConversions(leads, control, leads, treatment);
                lastZ = TwoProportionZTest.Test(control, leads, treatment, leads).Z;
                naiveRejected |= Math.Abs(lastZ) >= zCritical;
            }

            sequential += monitor.RejectNull ? 1 : 0;
            naive += naiveRejected ? 1 : 0;
            fixedHorizon += Math.Abs(lastZ) >= zCritical ? 1 : 0;
        }

        return new AaSimulationResult(repetitions, looks, leadsPerArmPerLook, (double)sequential / repetitions, (double)naive / repetitions, (double)fixedHorizon / repetitions);
    }

    private static long Binomial(Random random, int trials, double p)
    {
        long successes = 0;
        for (var i = 0; i < trials; i++)
        {
            successes += random.NextDouble() < p ? 1 : 0;
        }

        return successes;
    }
}
