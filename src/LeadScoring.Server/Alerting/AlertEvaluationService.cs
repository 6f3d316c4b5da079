using LeadScoring.Application.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Alerting.Operations;
using LeadScoring.Server.Deployments;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting;

/// <summary>
/// Every evaluation interval on the host's clock, on the replica holding the "alerting" lease: judges the live
/// operations figures of the served model, every monitoring run and deployment alert not judged yet, and resolves old
/// events; then wakes the delivery worker when deliveries were queued. A monitoring run stored on this replica wakes it
/// at once, so its alerts do not wait for the next interval. A failure is logged and retried at the next interval;
/// the checkpoints make the retry pick up where it stopped.
/// </summary>
public sealed partial class AlertEvaluationService(
    AlertEvaluator evaluator,
    LiveScoringCounters live,
    AlertEvaluationTrigger trigger,
    AlertDeliverySignal deliveries,
    StoreLease lease,
    ReplicaIdentity replica,
    IOptions<ServingOptions> serving,
    IOptions<AlertingSettings> settings,
    TimeProvider time,
    ILogger<AlertEvaluationService> logger) : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "alerting";

    private DateTimeOffset? _lastOperationsMinute;

    /// <summary>One evaluation (also what the loop runs); returns the deliveries queued, 0 when another replica holds the lease.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await lease.TryAcquireAsync(LeaseName, replica.Id, Ttl, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var queued = 0;
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (_lastOperationsMinute != minute)
        {
            // The figures of the whole minutes before this one: the current minute is still being counted.
            var figures = live.Read(minute, evaluator.Policy.OperationsWindow);
            queued += await evaluator.EvaluateOperationsAsync(serving.Value.ModelName, figures, minute, cancellationToken).ConfigureAwait(false);
            _lastOperationsMinute = minute;
        }

        queued += await evaluator.EvaluateMonitoringRunsAsync(cancellationToken).ConfigureAwait(false);
        queued += await evaluator.EvaluateDeploymentAlertsAsync(cancellationToken).ConfigureAwait(false);
        queued += await evaluator.ResolveOldEventsAsync(cancellationToken).ConfigureAwait(false);
        if (queued > 0)
        {
            deliveries.Pulse();
        }

        return queued;
    }

    private TimeSpan Ttl => settings.Value.EvaluationInterval * 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled)
        {
            return;
        }

        var interval = settings.Value.EvaluationInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogEvaluationFailed(logger, e);
            }

            try
            {
                await trigger.WaitAsync(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        try
        {
            await lease.ReleaseAsync(LeaseName, replica.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "alert evaluation failed; trying again at the next interval")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not give the alerting lease up at shutdown")]
    private static partial void LogReleaseFailed(ILogger logger, Exception error);
}
