using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Monitoring;

/// <summary>Several observers heard as one (the /metrics gauges and the alert evaluation's wake-up), in order.</summary>
public sealed class MonitoringRunObservers(IReadOnlyList<IMonitoringRunObserver> observers) : IMonitoringRunObserver
{
    /// <inheritdoc />
    public void Recorded(MonitoringRunDetail run)
    {
        foreach (var observer in observers)
        {
            observer.Recorded(run);
        }
    }
}
