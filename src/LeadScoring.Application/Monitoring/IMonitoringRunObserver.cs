using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Monitoring;

/// <summary>Hears of each monitoring run as soon as it is stored (the server's /metrics gauges, for one).</summary>
public interface IMonitoringRunObserver
{
    /// <summary>A run was stored; called on the running thread, so keep it quick and never throw.</summary>
    void Recorded(MonitoringRunDetail run);
}
