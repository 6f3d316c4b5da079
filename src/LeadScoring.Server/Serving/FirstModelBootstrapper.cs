using LeadScoring.Application.Training;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Training;
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
    TrainAndRegister trainAndRegister,
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
        if (!settings.Enabled || await registry.GetLatestVersionAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        LogStarting(logger, name, settings.Rows);
        var result = await trainAndRegister.RunAsync(
            new TrainAndRegisterRequest(
                name,
                TrainingData.Simulated(new SimulationOptions(settings.Rows, settings.Seed)),
                new TrainingOptions(Seed: settings.Seed),
                Actor,
                "first start: the registry was empty",
                "First model, trained on simulated leads",
                new Dictionary<string, string> { ["origin"] = "bootstrap" },
                Promote: true,
                Alias: "champion"),
            cancellationToken).ConfigureAwait(false);
        LogDone(logger, name, result.Version.Version, result.Metadata.Metrics.Auc);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registry has no {Model}: training a first model on {Rows} simulated leads")]
    private static partial void LogStarting(ILogger logger, string model, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "registered and promoted {Model} v{Version} (held-out ROC AUC {Auc:F3})")]
    private static partial void LogDone(ILogger logger, string model, int version, double auc);
}
