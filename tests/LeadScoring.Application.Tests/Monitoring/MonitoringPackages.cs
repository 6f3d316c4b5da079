using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Monitoring;

/// <summary>Two small models trained once for the class on baseline simulated leads (different seeds): a champion and a challenger.</summary>
public sealed class MonitoringPackages
{
    public MonitoringPackages()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Champion = Train(4000, 31, clock);
        Challenger = Train(2000, 32, clock);
    }

    public byte[] Champion { get; }

    public byte[] Challenger { get; }

    private static byte[] Train(int rows, int seed, TimeProvider clock) =>
        ModelPackage.Pack(ModelTrainer.Train(
            LeadSimulator.Generate(new SimulationOptions(rows, Seed: seed)).Table,
            new TrainingOptions(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 30)),
            new DataSource(null, null),
            clock)).ToArchive();
}
