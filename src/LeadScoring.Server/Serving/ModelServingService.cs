using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>
/// Runs in the background from start-up: bootstraps a first model if the registry is
/// empty, then keeps the served model on the Production version. The web server listens meanwhile, so
/// liveness answers at once and readiness turns green when a model is loaded.
/// </summary>
public sealed partial class ModelServingService(
    FirstModelBootstrapper bootstrapper,
    ProductionModelSync sync,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<ModelServingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bootstrapper.RunIfEmptyAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(logger, e, retry.TotalSeconds);
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
                retry = TimeSpan.FromSeconds(Math.Min(30, retry.TotalSeconds * 2));
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sync.SyncAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Already logged by the sync; keep serving the current model and try at the next poll.
            }

            await Task.Delay(options.Value.RegistryPollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not reach the registry or bootstrap the first model; retrying in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, Exception error, double seconds);
}
