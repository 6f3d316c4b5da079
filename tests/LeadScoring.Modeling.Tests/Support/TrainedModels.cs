using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Support;

/// <summary>
/// Models trained once per test run and shared: one on the real X Education leads (full data, default
/// settings, as `leadscore train` does) and a small fast one on simulated leads.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    private readonly Lazy<(ModelMetadata Metadata, string Directory)> _xEducation;
    private readonly Lazy<(ModelMetadata Metadata, string Directory)> _simulated;

    public TrainedModels()
    {
        Root = Directory.CreateTempSubdirectory("leadscoring-models-").FullName;
        _xEducation = new(() => TrainXEducation(Path.Combine(Root, "x-education")));
        _simulated = new(() => TrainSimulated(Path.Combine(Root, "simulated")));
    }

    public string Root { get; }

    public static string XEducationData => RepositoryPaths.Shared("data/leads-x-education.csv");

    public static LeadSchema XEducationSchema => SchemaJson.Parse(File.ReadAllText(RepositoryPaths.File("schemas/x-education.json")));

    public ModelMetadata XEducation => _xEducation.Value.Metadata;

    public string XEducationPackage => _xEducation.Value.Directory;

    public ModelMetadata Simulated => _simulated.Value.Metadata;

    public string SimulatedPackage => _simulated.Value.Directory;

    /// <summary>Fast settings for tests that need a model but not a good one.</summary>
    public static TrainingOptions Quick => new(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 40));

    /// <summary>A fresh copy of the simulated package, to damage.</summary>
    public string CopyOfSimulatedPackage()
    {
        var copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(SimulatedPackage))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static (ModelMetadata, string) TrainXEducation(string directory)
    {
        var table = LeadFile.Read(XEducationData, XEducationSchema, LabelUse.Required);
        var trained = ModelTrainer.Train(table, new TrainingOptions(), new DataSource("leads-x-education.csv", LeadFile.Sha256(XEducationData)), TimeProvider.System);
        return (ModelPackage.Write(trained, directory), directory);
    }

    private static (ModelMetadata, string) TrainSimulated(string directory)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(3000, Seed: 11)).Table;
        var trained = ModelTrainer.Train(table, Quick, new DataSource(null, null), TimeProvider.System);
        return (ModelPackage.Write(trained, directory), directory);
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained models";
}
