using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Server.Registry;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>
/// On a fresh install (no version of the served model in the registry) trains a first model on simulated
/// leads, registers it through the same checks as any upload, promotes it to Production and names it
/// champion, so the service scores from its first minute.
/// </summary>
public sealed partial class FirstModelBootstrapper(
    IModelRegistry registry,
    ModelRegistration registration,
    IOptions<ServingOptions> servingOptions,
    IOptions<BootstrapOptions> bootstrapOptions,
    ILogger<FirstModelBootstrapper> logger)
{
    /// <summary>The actor recorded in the audit log.</summary>
    public const string Actor = "system:bootstrap";

    /// <summary>Trains and promotes a first model when the registry has no version of the served model; returns whether it did.</summary>
    public async Task<bool> RunIfEmptyAsync(CancellationToken cancellationToken)
    {
        var name = servingOptions.Value.ModelName;
        var settings = bootstrapOptions.Value;
        if (!settings.Enabled || (await registry.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return false;
        }

        LogStarting(logger, name, settings.Rows);
        var leads = LeadSimulator.Generate(new SimulationOptions(settings.Rows, settings.Seed)).Table;
        var trained = await Task.Run(
            () => ModelTrainer.Train(leads, new TrainingOptions(Seed: settings.Seed), new DataSource($"simulated:baseline:{settings.Rows}:{settings.Seed}", null), name),
            cancellationToken).ConfigureAwait(false);
        var directory = Directory.CreateTempSubdirectory("leadscoring-bootstrap-");
        try
        {
            ModelPackage.Write(trained, directory.FullName);
            var archive = ModelPackage.Archive(directory.FullName);
            const string Reason = "first start: the registry was empty";
            var version = await registration.RegisterAsync(
                new RegistrationRequest(name, archive, Actor, "First model, trained on simulated leads", new Dictionary<string, string> { ["origin"] = "bootstrap" }, Reason),
                cancellationToken).ConfigureAwait(false);
            await registry.TransitionAsync(name, version.Version, ModelStage.Production, Actor, Reason, cancellationToken).ConfigureAwait(false);
            await registry.SetAliasAsync(name, "champion", version.Version, Actor, Reason, cancellationToken).ConfigureAwait(false);
            LogDone(logger, name, version.Version, trained.Metadata.Metrics.Auc);
            return true;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registry has no {Model}: training a first model on {Rows} simulated leads")]
    private static partial void LogStarting(ILogger logger, string model, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "registered and promoted {Model} v{Version} (held-out ROC AUC {Auc:F3})")]
    private static partial void LogDone(ILogger logger, string model, int version, double auc);
}
