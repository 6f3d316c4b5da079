using System.Diagnostics;
using System.Globalization;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Benchmarks.Statistics;

/// <summary>
/// The long A/A simulation behind docs/statistics.md, too slow for the unit tests:
/// <c>dotnet run -c Release --project bench/LeadScoring.Benchmarks -- aa-simulation [repetitions] [seed]</c>.
/// </summary>
internal static class AaSimulationCommand
{
    public const string Name = "aa-simulation";

    public static void Run(string[] args)
    {
        var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20000;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20240611;
        const double alpha = 0.05;
        (double Rate, double Lift, int Looks, int Leads)[] scenarios =
        [
            (0.08, 0.10, 30, 200),
            (0.08, 0.10, 60, 100),
            (0.30, 0.05, 30, 500),
            (0.02, 0.20, 30, 1000),
        ];
        foreach (var (rate, lift, looks, leads) in scenarios)
        {
            var watch = Stopwatch.StartNew();
            var result = SequentialSimulation.Run(new Random(seed), repetitions, looks, leads, rate, MixtureSequentialTest.MixingVarianceFor(rate, lift), alpha);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rate {rate:P0}, tau for {lift:P0} lift, {looks} looks x {leads} leads/arm, {repetitions} reps: mSPRT {result.SequentialRate:P2} (se {result.StandardError(alpha):P2}), naive peeking {result.NaivePeekingRate:P2}, fixed horizon {result.FixedHorizonRate:P2} [{watch.Elapsed.TotalSeconds:F1} s]"));
        }
    }
}
