using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>
/// Keeps the champion of <see cref="ServingState"/> on the registry's Production version: a cheap change token
/// is polled, and only when it moves is the Production version looked up and, if it changed, loaded and a new
/// snapshot swapped in (keeping the deployment beside it: <see cref="ServingState.SetChampion"/>).
/// </summary>
public sealed partial class ProductionModelSync(
    IModelRegistry registry,
    ServingState serving,
    IModelLoader loader,
    IOptions<ServingOptions> options,
    ILogger<ProductionModelSync> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _seenToken;

    /// <summary>Brings the served model up to date; <paramref name="force"/> skips the change-token shortcut.</summary>
    public async Task SyncAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var token = await registry.GetChangeTokenAsync(cancellationToken).ConfigureAwait(false);
            if (!force && token == _seenToken && serving.Snapshot is not null)
            {
                return;
            }

            var name = options.Value.ModelName;
            var production = await registry.GetProductionAsync(name, cancellationToken).ConfigureAwait(false);
            var champion = serving.Snapshot?.Champion;
            if (production is null)
            {
                if (champion is not null)
                {
                    LogNoProduction(logger, name, champion.Version);
                    serving.SetChampion(null);
                }
            }
            else if (champion?.Version != production.Version || champion.Name != name)
            {
                var bytes = await registry.GetPackageAsync(name, production.Version, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{name} v{production.Version} has no stored package");
                serving.SetChampion(loader.Load(name, production.Version, bytes));
                LogServing(logger, name, production.Version, champion?.Version);
            }

            _seenToken = token;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(logger, e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "serving {Model} v{Version} (was v{Previous})")]
    private static partial void LogServing(ILogger logger, string model, int version, int? previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Model} has no Production version any more; stopped serving v{Version}")]
    private static partial void LogNoProduction(ILogger logger, string model, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not sync the served model with the registry")]
    private static partial void LogSyncFailed(ILogger logger, Exception error);
}
