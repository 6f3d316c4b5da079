using LeadScoring.Application.Monitoring;
using Quartz;

namespace LeadScoring.Server.Monitoring.Scheduling;

/// <summary>
/// One scheduled monitoring check: hands the kind in its job data and the firing's scheduled time to
/// <see cref="IScheduledMonitoring"/>. Never two of one kind at once (the next firing waits for this one), across
/// every replica of a cluster.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class MonitoringJob(IServiceProvider services, ILogger<MonitoringJob> logger) : IJob
{
    /// <summary>The job data key holding the kind (<see cref="Storage.Monitoring.MonitoringRunKinds"/>).</summary>
    public const string KindKey = "kind";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = context.MergedJobDataMap.GetString(KindKey) ?? throw new JobExecutionException($"job {context.JobDetail.Key} has no '{KindKey}' in its job data");
        // The time it was due, not the time it ran: a late or recovered firing covers the same window.
        var scheduledAt = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;

        // Resolved per firing rather than injected: the runs' implementation is the Application's to register, and a
        // host without one (a test, a trimmed deployment) still starts.
        var monitoring = services.GetService<IScheduledMonitoring>();
        if (monitoring is null)
        {
            LogNoImplementation(kind, scheduledAt);
            return;
        }

        LogRunning(kind, scheduledAt, context.FireTimeUtc);
        try
        {
            await monitoring.RunAsync(kind, scheduledAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(e, kind, scheduledAt);
            throw new JobExecutionException($"the {kind} monitoring check due at {scheduledAt:O} failed: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring check {Kind} due at {ScheduledAt:O} skipped: no IScheduledMonitoring is registered")]
    private partial void LogNoImplementation(string kind, DateTimeOffset scheduledAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring check {Kind} due at {ScheduledAt:O} starting (fired at {FiredAt:O})")]
    private partial void LogRunning(string kind, DateTimeOffset scheduledAt, DateTimeOffset firedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring check {Kind} due at {ScheduledAt:O} failed")]
    private partial void LogFailed(Exception exception, string kind, DateTimeOffset scheduledAt);
}
