namespace LeadScoring.Application.Monitoring;

/// <summary>
/// What a scheduled monitoring check does when its schedule fires. The scheduler (Quartz, in the server) decides
/// when and makes sure each firing runs once across replicas; this decides what a check covers and stores its runs.
/// </summary>
public interface IScheduledMonitoring
{
    /// <summary>
    /// Runs the checks of <paramref name="kind"/> (<see cref="Storage.Monitoring.MonitoringRunKinds"/>: hourly, daily or
    /// weekly) over the window that closed at <paramref name="scheduledAt"/>, the firing's scheduled time (not the time
    /// it ran), so a late or repeated firing covers the same window.
    /// </summary>
    Task RunAsync(string kind, DateTimeOffset scheduledAt, CancellationToken cancellationToken);
}
