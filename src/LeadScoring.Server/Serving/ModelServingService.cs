using LeadScoring.Server.Deployments;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>
/// Runs in the background from start-up: bootstraps a first model if the registry is
/// empty, then keeps the served model on the Production version and the deployment beside it on the store's active
/// deployment (one loop, <see cref="ServingSync"/>, polling at the shorter of the two poll intervals). The web server listens meanwhile, so
/// liveness answers at once and readiness turns green when a model is loaded.
/// </summary>
public sealed partial class ModelServingService(
    FirstModelBootstrapper bootstrapper,
    ServingSync sync,
    IOptions<ServingOptions> options,
    IOptions<DeploymentOptions> deployments,
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

        var poll = deployments.Value.PollInterval is { } deploymentPoll && deploymentPoll < options.Value.RegistryPollInterval
            ? deploymentPoll
            : options.Value.RegistryPollInterval;
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

            await Task.Delay(poll, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not reach the registry or bootstrap the first model; retrying in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, Exception error, double seconds);
}
