using System.Globalization;
using System.Security.Cryptography;
using LeadScoring.Application.Predictions;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Deployments;

/// <summary>
/// Start, status, approve and abort, shared by the server and the CLI. Starting checks against the registry what
/// the store cannot (it keeps no reference into the registry's rows): the champion is the model's Production
/// version, the challenger is another registered version whose package loads and takes the same features, and
/// it draws the deployment's salt (16 random bytes from <see cref="RandomNumberGenerator"/>, as hex).
/// </summary>
/// <remarks>
/// A refused request is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the
/// field of <see cref="NewDeployment"/> ("ChallengerVersion", "Steps[1].Share"); a model that already has an
/// active deployment, or an approval or abort in the wrong state, a <see cref="DeploymentConflictException"/>;
/// an unknown deployment a <see cref="DeploymentNotFoundException"/>. Nothing is written by a refused call.
/// </remarks>
public sealed class DeploymentUseCases(DeploymentStore store, IModelRegistry registry)
{
    /// <summary>Bytes of randomness in a deployment's salt.</summary>
    public const int SaltBytes = 16;

    /// <summary>Checks the request against the registry, draws the salt and starts the deployment.</summary>
    public async Task<Deployment> StartAsync(StartDeploymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RegistryNames.IsValidModelName(request.ModelName))
        {
            throw Invalid(nameof(NewDeployment.ModelName), $"'{request.ModelName}' is not a model name: 1–{RegistryNames.MaxModelNameLength} letters, digits, '-', '_' or '.'");
        }

        var production = await registry.GetProductionAsync(request.ModelName, cancellationToken).ConfigureAwait(false)
            ?? throw Invalid(nameof(NewDeployment.ModelName), $"model '{request.ModelName}' has no Production version to serve as the champion");
        if (request.ChampionVersion is int champion && champion != production.Version)
        {
            throw Invalid(nameof(NewDeployment.ChampionVersion), Text($"must be the model's Production version ({production.Version}); got {champion}"));
        }

        var deployment = new NewDeployment(
            request.ModelName,
            production.Version,
            request.ChallengerVersion,
            request.Mode,
            request.Share ?? (request.Mode == DeploymentMode.AB ? DeploymentNames.DefaultAbShare : 0),
            request.Steps,
            request.AutoPromote,
            NewSalt());
        // The store's own rules (fields, shares, steps) first: they need no registry read.
        DeploymentValidation.Validate(deployment);
        if (request.ChallengerVersion is int challenger)
        {
            await CheckChallengerAsync(request.ModelName, production.Version, challenger, cancellationToken).ConfigureAwait(false);
        }

        return await store.StartAsync(deployment, request.Actor, request.Reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment with its events, or null when no deployment has that id.</summary>
    public async Task<DeploymentStatus?> GetStatusAsync(long id, CancellationToken cancellationToken = default)
    {
        var deployment = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return deployment is null ? null : new DeploymentStatus(deployment, await store.GetEventsAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The model's active deployment with its events, or null when it has none.</summary>
    public async Task<DeploymentStatus?> GetActiveStatusAsync(string modelName, CancellationToken cancellationToken = default)
    {
        var deployment = await store.GetActiveAsync(modelName, cancellationToken).ConfigureAwait(false);
        return deployment is null ? null : new DeploymentStatus(deployment, await store.GetEventsAsync(deployment.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Promotes the challenger in one transaction with completing the deployment (see <see cref="DeploymentStore.ApproveAsync"/>).</summary>
    public Task<Deployment> ApproveAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default) =>
        store.ApproveAsync(id, actor, reason, cancellationToken);

    /// <summary>Stops an active deployment; one that already ended is a <see cref="DeploymentConflictException"/> saying how it ended.</summary>
    public async Task<Deployment> AbortAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        var aborted = await store.AbortAsync(id, actor, reason, cancellationToken).ConfigureAwait(false);
        if (aborted is not null)
        {
            return aborted;
        }

        var ended = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        throw new DeploymentConflictException(Text($"deployment {id} is {(ended is null ? "gone" : DeploymentNames.Of(ended.State))}, not active: there is nothing to abort")) { DeploymentId = id };
    }

    /// <summary>A fresh salt: <see cref="SaltBytes"/> bytes from the operating system's cryptographic source, as lowercase hex.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SaltBytes));

    private async Task CheckChallengerAsync(string modelName, int championVersion, int challengerVersion, CancellationToken cancellationToken)
    {
        const string Field = nameof(NewDeployment.ChallengerVersion);
        var packages = new VersionPackages(registry);
        var challenger = await packages.GetAsync(modelName, challengerVersion, cancellationToken).ConfigureAwait(false);
        if (challenger.Package is null)
        {
            throw Invalid(Field, challenger.Problem!);
        }

        // The champion's package is what serves today; if it no longer loads, comparing features is moot.
        var champion = await packages.GetAsync(modelName, championVersion, cancellationToken).ConfigureAwait(false);
        if (champion.Package is not null && !champion.Package.Schema.HasSameFeatures(challenger.Package.Schema))
        {
            throw Invalid(Field, Text($"{modelName} v{challengerVersion} takes other features than the champion v{championVersion}: it could not score the requests the champion scores"));
        }
    }

    private static ArgumentException Invalid(string field, string problem) => new($"{field} {problem}", field);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
