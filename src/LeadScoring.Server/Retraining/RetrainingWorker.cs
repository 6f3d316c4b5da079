using LeadScoring.Application.Retraining;
using LeadScoring.Server.Hosting;
using LeadScoring.Server.Deployments;
using LeadScoring.Storage;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Retraining;

/// <summary>
/// Works queued runs one at a time, off the request path: claims the oldest (leased, so two replicas never work one
/// run; a run whose worker died is handed out again when its claim runs out), and runs it from its data to Staging
/// on a low-priority thread. Waits <see cref="RetrainingSettings.CheckInterval"/> between looks, or less when a run
/// is requested (<see cref="RetrainingWakeSignal"/>).
/// </summary>
public sealed partial class RetrainingWorker(
    RetrainingStore store,
    RetrainingRunner runner,
    RetrainingWakeSignal signal,
    ReplicaIdentity replica,
    IOptions<RetrainingSettings> settings,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<RetrainingWorker> logger) : BackgroundService
{
    private long _runsWorked;

    /// <summary>Runs this worker finished (for tests that wait on it).</summary>
    public long RunsWorked => Interlocked.Read(ref _runsWorked);

    /// <summary>Claims and works one run; false when none was due.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var run = await store.ClaimNextAsync(replica.Id, RetrainingRunner.Lease, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return false;
        }

        LogStarting(logger, run.Id, run.ModelName, RetrainingNames.Of(run.Trigger));
        var ended = await runner.RunAsync(run, replica.Id, RetrainingRunner.Lease, settings.Value.SnapshotDirectoryUnder(storage.Value.DataDirectory), new LogProgress(logger, run.Id), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _runsWorked);
        LogEnded(logger, run.Id, RetrainingNames.Of(ended.Status), ended.StatusDetail);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }

            if (worked)
            {
                continue;
            }

            try
            {
                await signal.WaitAsync(settings.Value.CheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {RunId} of {Model} ({Trigger}) started")]
    private static partial void LogStarting(ILogger logger, long runId, string model, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {RunId} ended its work as {Status}: {Detail}")]
    private static partial void LogEnded(ILogger logger, long runId, string status, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {RunId}: {Step}")]
    private static partial void LogStep(ILogger logger, long runId, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "the retraining worker failed; looking again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception error);

    private sealed class LogProgress(ILogger logger, long runId) : IProgress<string>
    {
        public void Report(string value) => LogStep(logger, runId, value);
    }
}

/// <summary>Wakes the retraining worker: a run was requested or a trigger started one.</summary>
public sealed class RetrainingWakeSignal : WakeSignal;
