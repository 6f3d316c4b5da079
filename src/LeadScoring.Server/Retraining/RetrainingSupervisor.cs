using LeadScoring.Application.Retraining;
using LeadScoring.Server.Deployments;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Retraining;

/// <summary>
/// Every <see cref="RetrainingSettings.CheckInterval"/>, on the replica holding the "retraining" lease: checks the
/// served model's triggers (drift, schedule) and wakes the worker when one started a run, then moves every candidate
/// that passed its gate one step along its promotion path (shadow, canary, approval). A failure is logged and the
/// next interval tries again; each step reads the stored state, so nothing is done twice.
/// </summary>
public sealed partial class RetrainingSupervisor(
    RetrainingStore store,
    RetrainingTriggers triggers,
    RetrainingPromotion promotion,
    RetrainingWakeSignal worker,
    ServingSync serving,
    StoreLease lease,
    ReplicaIdentity replica,
    IOptions<ServingOptions> servingOptions,
    IOptions<RetrainingSettings> settings,
    TimeProvider time,
    ILogger<RetrainingSupervisor> logger) : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "retraining";

    private long _checks;

    /// <summary>Checks finished (for tests that wait on the loop).</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>One check: triggers, then the promotion step of each unfinished run; false when another replica holds the lease.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var current = settings.Value;
        if (!await lease.TryAcquireAsync(LeaseName, replica.Id, current.CheckInterval * 3, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (await triggers.CheckAsync(servingOptions.Value.ModelName, current, cancellationToken).ConfigureAwait(false) is { } started)
        {
            LogTriggered(logger, started.Id, started.ModelName, RetrainingNames.Of(started.Trigger), started.TriggerDetail);
            worker.Pulse();
        }

        var changed = false;
        foreach (var run in await store.ListUnfinishedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (run.Status is not (RetrainingStatus.Staged or RetrainingStatus.Shadow or RetrainingStatus.Canary or RetrainingStatus.AwaitingApproval))
            {
                continue;
            }

            try
            {
                var after = await promotion.AdvanceAsync(run, current.Promotion, cancellationToken).ConfigureAwait(false);
                if (after.Status != run.Status)
                {
                    changed = true;
                    LogStep(logger, run.Id, RetrainingNames.Of(run.Status), RetrainingNames.Of(after.Status), after.StatusDetail);
                }
            }
            catch (Exception e) when (e is DeploymentConflictException or RetrainingStateException or ArgumentException)
            {
                // Someone changed the model's deployments or the run meanwhile: the next look sees what they did.
                LogStepRefused(logger, run.Id, e.Message);
            }
        }

        if (changed)
        {
            // This replica follows the new deployment now rather than at its next poll.
            await serving.SyncAsync(force: true, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _checks);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Value.CheckInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));

        try
        {
            await lease.ReleaseAsync(LeaseName, replica.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, e);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {RunId} of {Model} started by its {Trigger} trigger: {Detail}")]
    private static partial void LogTriggered(ILogger logger, long runId, string model, string trigger, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {RunId}: {From} → {To}: {Detail}")]
    private static partial void LogStep(ILogger logger, long runId, string from, string to, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retraining run {RunId}: its promotion step was refused ({Problem}); looking again at the next interval")]
    private static partial void LogStepRefused(ILogger logger, long runId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "the retraining check failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not give the retraining lease up at shutdown")]
    private static partial void LogReleaseFailed(ILogger logger, Exception error);
}
