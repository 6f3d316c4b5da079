using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Every <see cref="DeploymentOptions.EvaluationInterval"/> on the host's clock, on every replica: writes this
/// replica's arm counters, then tries the "deployments" lease; the one replica holding it evaluates every active
/// deployment (<see cref="DeploymentEvaluator"/>) and, when one changed, brings its own snapshot up to date at once
/// (the other replicas follow at their next poll). At shutdown it writes the counters a last time and gives the
/// lease up, so another replica takes over without waiting for it to expire.
/// </summary>
public sealed partial class DeploymentSupervisor(
    ArmMinuteFlusher flusher,
    StoreLease lease,
    DeploymentStore store,
    DeploymentEvaluator evaluator,
    ServingSync sync,
    ReplicaIdentity replica,
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    ILogger<DeploymentSupervisor> logger) : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "deployments";

    private long _evaluations;
    private long _intervals;

    /// <summary>Intervals in which this replica held the lease and evaluated the deployments.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Intervals this replica's loop has finished (whether or not it held the lease).</summary>
    public long Intervals => Interlocked.Read(ref _intervals);

    /// <summary>One interval's work (also what the loop runs): flush, then evaluate when this replica holds the lease.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await flusher.FlushAsync(cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        if (!await lease.TryAcquireAsync(LeaseName, replica.Id, settings.EffectiveLeaseTtl, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Interlocked.Increment(ref _evaluations);
        var changed = false;
        foreach (var deployment in await store.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                changed |= await evaluator.EvaluateAsync(deployment, cancellationToken).ConfigureAwait(false) != EvaluationAction.None;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One deployment's failure (e.g. an approval the registry refused) must not stop the others' guardrails.
                LogEvaluationFailed(logger, e, deployment.Id);
            }
        }

        if (changed)
        {
            await sync.SyncAsync(force: true, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogIntervalFailed(logger, e);
                }

                Interlocked.Increment(ref _intervals);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last flush follows.
        }
        finally
        {
            await StopWorkAsync().ConfigureAwait(false);
        }
    }

    // The host's shutdown timeout bounds this; a store that does not answer loses this replica's last minute only.
    private async Task StopWorkAsync()
    {
        try
        {
            await flusher.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await lease.ReleaseAsync(LeaseName, replica.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStopFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not evaluate deployment {Id}; trying again next interval")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception error, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "the deployment supervisor's interval failed; trying again next interval")]
    private static partial void LogIntervalFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not write the last arm counters or give the lease up at shutdown")]
    private static partial void LogStopFailed(ILogger logger, Exception error);
}
