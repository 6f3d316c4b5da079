using System.Globalization;
using System.Text.Json;
using LeadScoring.Application.Monitoring;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// Turns what the platform measured into alert findings and hands them to the alert store, which decides in one
/// transaction what each does (open, update, remind, resolve) and queues the deliveries. Every source is read from a
/// checkpoint kept in that same transaction, and every batch is named by its source, so an evaluation that dies
/// half-way is redone after a restart without a finding lost or applied twice, and replicas evaluating together
/// change nothing twice: stored monitoring runs in id order, the deployments' alerts (rollbacks) in id order, the
/// live operations figures once a minute, and events that have been open long enough to resolve.
/// </summary>
public sealed class AlertEvaluator(AlertStore alerts, MonitoringStore monitoring, DeploymentStore deployments, AlertPolicy policy, TimeProvider time)
{
    /// <summary>The checkpoint of the monitoring runs judged.</summary>
    public const string MonitoringCheckpoint = "monitoring_runs";

    /// <summary>The checkpoint of the deployments' alerts judged.</summary>
    public const string DeploymentCheckpoint = "deployment_alerts";

    // A first evaluation judges the runs of the last day only: older history is not news.
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(1);

    /// <summary>The policy in force.</summary>
    public AlertPolicy Policy => policy;

    /// <summary>Judges every stored monitoring run not judged yet, oldest first; returns the deliveries queued.</summary>
    public async Task<int> EvaluateMonitoringRunsAsync(CancellationToken cancellationToken = default)
    {
        var checkpoint = await alerts.GetCheckpointAsync(MonitoringCheckpoint, cancellationToken).ConfigureAwait(false);
        var pending = new List<StoredMonitoringRun>();
        long? before = null;
        var horizon = time.GetUtcNow() - FirstLookBack;
        do
        {
            var page = await monitoring.ListRunsAsync(new MonitoringRunFilter(), before, MonitoringStore.MaxPageSize, cancellationToken).ConfigureAwait(false);
            var fresh = page.Rows.TakeWhile(r => checkpoint is { } seen ? r.Id > seen : r.Run.FinishedAt >= horizon).ToList();
            pending.AddRange(fresh);
            before = fresh.Count == page.Rows.Count ? page.NextBefore : null;
        }
        while (before is not null);

        var queued = 0;
        foreach (var stored in pending.OrderBy(r => r.Id))
        {
            var run = await monitoring.GetRunAsync(stored.Id, cancellationToken).ConfigureAwait(false);
            var verdicts = run is null ? [] : MonitoringAlertRules.Evaluate(policy.Rules, run);
            queued += await ApplyAsync($"monitoring_run:{stored.Id}", verdicts, stored.Run.FinishedAt, new AlertCheckpoint(MonitoringCheckpoint, stored.Id), cancellationToken).ConfigureAwait(false);
        }

        return queued;
    }

    /// <summary>Judges every deployment alert (a guardrail's rollback) not judged yet; returns the deliveries queued.</summary>
    public async Task<int> EvaluateDeploymentAlertsAsync(CancellationToken cancellationToken = default)
    {
        var checkpoint = await alerts.GetCheckpointAsync(DeploymentCheckpoint, cancellationToken).ConfigureAwait(false);
        var queued = 0;
        while (true)
        {
            var page = await deployments.ListAlertsAsync(checkpoint, 100, cancellationToken).ConfigureAwait(false);
            foreach (var alert in page)
            {
                var deployment = await deployments.GetAsync(alert.DeploymentId, cancellationToken).ConfigureAwait(false);
                var verdicts = deployment is null ? [] : OperationsAlertRules.Evaluate(policy.Rules, deployment, alert);
                queued += await ApplyAsync($"deployment_alert:{alert.Id}", verdicts, alert.At, new AlertCheckpoint(DeploymentCheckpoint, alert.Id), cancellationToken).ConfigureAwait(false);
                checkpoint = alert.Id;
            }

            if (page.Count < 100)
            {
                return queued;
            }
        }
    }

    /// <summary>Judges the live operations figures of <paramref name="model"/> for the minute starting <paramref name="minute"/>; returns the deliveries queued.</summary>
    public Task<int> EvaluateOperationsAsync(string model, LiveOperations live, DateTimeOffset minute, CancellationToken cancellationToken = default) =>
        ApplyAsync(
            $"ops:{model}:{minute.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)}",
            OperationsAlertRules.Evaluate(policy.Rules, model, live),
            minute,
            null,
            cancellationToken);

    /// <summary>Resolves the events' alerts (rollbacks) open longer than the policy's EventResolveAfter; returns the deliveries queued.</summary>
    public async Task<int> ResolveOldEventsAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var rule in policy.Rules.Where(r => r.Enabled && AlertRuleTypes.IsEvent(r.Type)))
        {
            var page = await alerts.ListAlertsAsync(new AlertFilter(State: AlertState.Firing, Rule: rule.Id), null, AlertStore.MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var alert in page.Alerts.Where(a => now - a.OpenedAt >= policy.EventResolveAfter))
            {
                var verdict = new RuleVerdict(
                    rule, alert.Subject, alert.Model ?? "", false, alert.Level,
                    $"resolved {policy.EventResolveAfter.TotalHours:0} hours after it opened: {alert.Summary}",
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["opened_at"] = alert.OpenedAt });
                queued += await ApplyAsync($"event_expiry:{alert.Id}", [verdict], now, null, cancellationToken).ConfigureAwait(false);
            }
        }

        return queued;
    }

    private async Task<int> ApplyAsync(string source, IReadOnlyList<RuleVerdict> verdicts, DateTimeOffset at, AlertCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (verdicts.Count == 0 && checkpoint is null)
        {
            return 0;
        }

        var findings = verdicts.Select(v => new AlertFinding(
            v.Rule.Id, v.Subject, v.Model, v.Breached, v.Level, at, v.Summary,
            JsonSerializer.Serialize(v.Figures, MonitoringJson.Options), policy.ChannelsOf(v.Level), v.Rule.Cooldown)).ToList();
        var result = await alerts.ApplyAsync(new AlertFindingBatch(source, findings, checkpoint), cancellationToken).ConfigureAwait(false);
        return result.Applied.Count(a => a.Action is AlertAction.Open or AlertAction.Notify or AlertAction.Resolve && a.Finding.Channels.Count > 0);
    }
}
