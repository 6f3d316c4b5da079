using LeadScoring.Application.Monitoring;
using LeadScoring.Server.Hosting;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Server.Alerting;

/// <summary>Wakes the delivery worker: the evaluator pulses it after it stores findings that queued deliveries.</summary>
public sealed class AlertDeliverySignal : WakeSignal;

/// <summary>Wakes the alert evaluation: a monitoring run was stored on this replica (it is one of the runner's observers).</summary>
public sealed class AlertEvaluationTrigger : WakeSignal, IMonitoringRunObserver
{
    /// <inheritdoc />
    public void Recorded(MonitoringRunDetail run) => Pulse();
}
