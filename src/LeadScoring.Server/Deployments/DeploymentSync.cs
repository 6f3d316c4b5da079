using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Keeps the deployment of <see cref="ServingState"/> on the store's active deployment of the served model: when the
/// deployments' change token moved (or the champion changed), the active deployment is read and served beside the
/// champion (its challenger loaded through <see cref="IModelLoader"/>, kept while the version stays the same), or
/// cleared when none is active. Run only through <see cref="ServingSync"/>, after the champion is brought up to date,
/// so the two never interleave.
/// </summary>
public sealed partial class DeploymentSync(
    DeploymentStore store,
    IModelRegistry registry,
    ServingState serving,
    IModelLoader loader,
    IOptions<ServingOptions> options,
    ILogger<DeploymentSync> logger)
{
    private long? _seenToken;
    private int? _seenChampion;
    private Applied? _applied;
    private LoadedModel? _challenger;
    private (long Id, int Champion)? _mismatchLogged;

    /// <summary>Brings the served deployment up to date; <paramref name="force"/> skips the change-token shortcut. Not thread-safe: <see cref="ServingSync"/> serialises it.</summary>
    internal async Task SyncAsync(bool force, CancellationToken cancellationToken)
    {
        try
        {
            await FollowAsync(force, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(logger, e);
            throw;
        }
    }

    private async Task FollowAsync(bool force, CancellationToken cancellationToken)
    {
        if (serving.Snapshot is not { } snapshot)
        {
            return;
        }

        var token = await store.GetChangeTokenAsync(cancellationToken).ConfigureAwait(false);
        var champion = snapshot.Champion;
        if (!force && token == _seenToken && champion.Version == _seenChampion)
        {
            return;
        }

        var active = await store.GetActiveAsync(options.Value.ModelName, cancellationToken).ConfigureAwait(false);
        var wanted = await WantedAsync(active, champion, cancellationToken).ConfigureAwait(false);
        // Only a change of what the store wants is applied, so what is served follows the store alone.
        if (wanted?.Key != _applied || (wanted is not null && snapshot.Deployment?.Id != wanted.Value.Key.Id))
        {
            Apply(wanted, champion);
        }

        (_seenToken, _seenChampion) = (token, champion.Version);
    }

    private void Apply((Applied Key, ServedDeployment Served)? wanted, LoadedModel champion)
    {
        try
        {
            serving.SetDeployment(wanted?.Served);
            _applied = wanted?.Key;
            if (wanted is { } w)
            {
                LogServing(logger, w.Served.Mode, w.Key.Id, w.Served.Challenger.Version, w.Served.Share, champion.Version);
            }
            else
            {
                LogSingle(logger, champion.Version);
            }
        }
        catch (InvalidOperationException e)
        {
            // Features differ (the use case refuses such a start; a registry change could still cause it).
            LogRefused(logger, e, wanted!.Value.Key.Id);
            serving.SetDeployment(null);
            _applied = null;
        }
    }

    private async Task<(Applied Key, ServedDeployment Served)?> WantedAsync(Deployment? active, LoadedModel champion, CancellationToken cancellationToken)
    {
        if (active is null || active.Mode == DeploymentMode.Single || active.ChallengerVersion is not int challengerVersion)
        {
            return null;
        }

        if (active.ChampionVersion != champion.Version)
        {
            // Its split was planned against another champion: serving it would compare the wrong models.
            if (_mismatchLogged != (active.Id, champion.Version))
            {
                LogChampionMismatch(logger, active.Id, active.ChampionVersion, champion.Version);
                _mismatchLogged = (active.Id, champion.Version);
            }

            return null;
        }

        if (_challenger is not { } loaded || loaded.Version != challengerVersion || loaded.Name != active.ModelName)
        {
            var bytes = await registry.GetPackageAsync(active.ModelName, challengerVersion, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{active.ModelName} v{challengerVersion} has no stored package");
            loaded = _challenger = loader.Load(active.ModelName, challengerVersion, bytes);
        }

        var key = new Applied(active.Id, active.Mode, active.Share, challengerVersion, champion.Version);
        return (key, new ServedDeployment(active.Id, DeploymentNames.Of(active.Mode), active.Share, active.Salt, loaded));
    }

    private readonly record struct Applied(long Id, DeploymentMode Mode, double Share, int Challenger, int Champion);

    [LoggerMessage(Level = LogLevel.Information, Message = "serving {Mode} deployment {Id}: challenger v{Challenger} at share {Share} beside champion v{Champion}")]
    private static partial void LogServing(ILogger logger, string mode, long id, int challenger, double share, int champion);

    [LoggerMessage(Level = LogLevel.Information, Message = "no active deployment: champion v{Champion} answers every lead")]
    private static partial void LogSingle(ILogger logger, int champion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Id} was planned against champion v{Planned}, but v{Served} is in Production: serving the champion only")]
    private static partial void LogChampionMismatch(ILogger logger, long id, int planned, int served);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not sync the served deployment with the store; keeping the current one")]
    private static partial void LogSyncFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "deployment {Id} cannot be served beside the champion; serving the champion only")]
    private static partial void LogRefused(ILogger logger, Exception error, long id);
}
