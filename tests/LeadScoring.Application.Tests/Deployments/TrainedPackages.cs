using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Deployments;

/// <summary>Three small trained packages, made once for the class: two on the same features, one without the last feature.</summary>
public sealed class TrainedPackages
{
    public TrainedPackages()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var first = LeadSimulator.Generate(new SimulationOptions(1500, Seed: 8)).Table;
        var second = LeadSimulator.Generate(new SimulationOptions(1500, Seed: 9)).Table;
        Champion = Train(first, clock);
        Challenger = Train(second, clock);
        OtherFeatures = Train(WithoutLastFeature(second), clock);
    }

    public byte[] Champion { get; }

    public byte[] Challenger { get; }

    public byte[] OtherFeatures { get; }

    private static byte[] Train(LeadTable table, TimeProvider clock) =>
        ModelPackage.Pack(ModelTrainer.Train(table, new TrainingOptions(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 20)), new DataSource(null, null), clock)).ToArchive();

    private static LeadTable WithoutLastFeature(LeadTable table)
    {
        var s = table.Schema;
        var schema = new LeadSchema(s.Name, s.Id, s.Label, s.Positive, s.Negative, s.Timestamp, s.Revenue, s.Delimiter, [.. s.Features.SkipLast(1)], s.Exclude, s.MissingValues);
        return new LeadTable(schema, [.. table.Columns.SkipLast(1)], table.Ids, table.Timestamps, table.Labels, table.Revenue);
    }
}
