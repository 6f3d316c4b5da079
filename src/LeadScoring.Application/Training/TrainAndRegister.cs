using LeadScoring.Application.Registration;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Training;

/// <summary>
/// Trains a model, packages it in memory, registers it through the registration gate and, when asked, promotes it
/// to Production and points an alias at it, every step recorded with one actor and reason. The server's
/// first-start bootstrap is this use case on simulated leads.
/// </summary>
public sealed class TrainAndRegister(IModelRegistry registry, ModelRegistration registration, TimeProvider time)
{
    /// <summary>Runs the steps in order; a refusal at any step leaves the earlier ones done (a registered version stays registered).</summary>
    public async Task<TrainAndRegisterResult> RunAsync(TrainAndRegisterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Simulating and training are CPU-bound and synchronous: keep them off the caller's thread (a host's startup path).
        var trained = await Task.Run(
            () =>
            {
                var (table, source) = request.Data.Load();
                return ModelTrainer.Train(table, request.Training, source, time, request.ModelName, request.Progress, cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);
        var package = ModelPackage.Pack(trained);
        var version = await registration.RegisterAsync(
            new RegistrationRequest(request.ModelName, package.ToArchive(), request.Actor, request.Description, request.Tags, request.Reason, request.AllowSchemaChange),
            cancellationToken).ConfigureAwait(false);
        if (request.Promote)
        {
            version = await registry.TransitionAsync(request.ModelName, version.Version, ModelStage.Production, request.Actor, request.Reason, cancellationToken).ConfigureAwait(false);
        }

        if (request.Alias is { } alias)
        {
            version = await registry.SetAliasAsync(request.ModelName, alias, version.Version, request.Actor, request.Reason, cancellationToken).ConfigureAwait(false);
        }

        return new TrainAndRegisterResult(version, package.Metadata);
    }
}

/// <summary>What to train on and how, and what to do with the registered version.</summary>
/// <param name="ModelName">Registered model name (also the name recorded in the package).</param>
/// <param name="Data">The leads to train on.</param>
/// <param name="Training">Split, calibration and learner settings.</param>
/// <param name="Actor">Who, for the audit log of every step.</param>
/// <param name="Reason">Why, for the audit log of every step.</param>
/// <param name="Description">Free text stored with the version.</param>
/// <param name="Tags">Tags stored with the version.</param>
/// <param name="Promote">Move the new version to Production (the previous one is archived).</param>
/// <param name="Alias">An alias to point at the new version, e.g. champion.</param>
/// <param name="AllowSchemaChange">Accept features that differ from the model's latest version.</param>
/// <param name="Progress">Training progress lines.</param>
public sealed record TrainAndRegisterRequest(
    string ModelName,
    TrainingData Data,
    TrainingOptions Training,
    string Actor,
    string? Reason,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    bool Promote = false,
    string? Alias = null,
    bool AllowSchemaChange = false,
    IProgress<string>? Progress = null);

/// <summary>The registered version (after promotion and alias) and the metadata of its package.</summary>
public sealed record TrainAndRegisterResult(ModelVersion Version, ModelMetadata Metadata);
