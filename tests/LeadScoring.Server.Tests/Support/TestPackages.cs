using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Server.Tests.Support;

/// <summary>
/// Model package archives trained once for all server tests: two versions of a simulated-leads model (same
/// schema, different training data), one with another schema, and one trained on a slice of the real X
/// Education leads.
/// </summary>
public sealed class TestPackages
{
    private static readonly TrainingOptions Quick = new(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 40));

    private readonly Lazy<byte[]> _first = new(() => Train(LeadSimulator.Generate(new SimulationOptions(3000, Seed: 1)).Table));
    private readonly Lazy<byte[]> _second = new(() => Train(LeadSimulator.Generate(new SimulationOptions(3000, Seed: 2, Scenario: Scenario.SourceShift)).Table));
    private readonly Lazy<byte[]> _otherSchema = new(() => Train(DropLastFeature(LeadSimulator.Generate(new SimulationOptions(3000, Seed: 3)).Table)));
    private readonly Lazy<byte[]> _xEducation = new(() =>
    {
        var schema = SchemaJson.Parse(File.ReadAllText(RepositoryPaths.File("schemas/x-education.json")));
        var table = LeadFile.Read(RepositoryPaths.Shared("data/leads-x-education.csv"), schema, LabelUse.Required);
        return Train(table.Select(Enumerable.Range(0, 3000).ToArray()));
    });

    /// <summary>Simulated leads model, trained on baseline leads.</summary>
    public byte[] First => _first.Value;

    /// <summary>Same schema, trained on source-shifted leads: scores differ from <see cref="First"/>.</summary>
    public byte[] Second => _second.Value;

    /// <summary>Simulated leads without the requested_demo feature.</summary>
    public byte[] OtherSchema => _otherSchema.Value;

    /// <summary>Trained on the first 3,000 X Education leads.</summary>
    public byte[] XEducation => _xEducation.Value;

    private static byte[] Train(LeadTable table)
    {
        var trained = ModelTrainer.Train(table, Quick, new DataSource(null, null), TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("server-test-package-");
        try
        {
            ModelPackage.Write(trained, directory.FullName);
            return ModelPackage.Archive(directory.FullName);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    private static LeadTable DropLastFeature(LeadTable table)
    {
        var schema = table.Schema;
        var smaller = new LeadSchema(schema.Name, schema.Id, schema.Label, schema.Positive, schema.Negative, schema.Timestamp, schema.Revenue, schema.Delimiter, schema.Features.Take(schema.Features.Count - 1).ToList(), schema.Exclude, schema.MissingValues);
        return new LeadTable(smaller, table.Columns.Take(table.Columns.Count - 1).ToList(), table.Ids, table.Timestamps, table.Labels, table.Revenue);
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<TestPackages>
{
    public const string Name = "server";
}

/// <summary>
/// Tests that read /metrics. An OpenTelemetry meter provider listens to meters by name across the whole process,
/// so a scrape also reads the gauges of any other service a parallel test has running (a PostgreSQL canary's, say):
/// these run alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection : ICollectionFixture<TestPackages>
{
    public const string Name = "metrics";
}
