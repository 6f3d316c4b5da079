using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>
/// Applies one batch of findings inside the caller's write transaction: each finding reads what the ones before it
/// wrote (same rule and subject in one batch), goes through Core's <see cref="AlertLifecycle"/>, and writes the alert,
/// the finding and the deliveries it owes.
/// </summary>
internal sealed class AlertBatchApplier(SqlDatabase database, AlertStatements alerts, AlertDeliveryStatements deliveries, AlertSilenceStatements silences)
{
    /// <summary>Applies <paramref name="batch"/> (already validated); an already applied source changes nothing.</summary>
    public async Task<AlertBatchResult> ApplyAsync(SqlSession session, AlertFindingBatch batch, CancellationToken cancellationToken)
    {
        var now = database.Now();
        // First statement: on PostgreSQL a concurrent application of the same source waits here for the other to
        // commit, then finds it applied.
        if (!await alerts.TryRecordSourceAsync(session, batch.Source, now, cancellationToken).ConfigureAwait(false))
        {
            return new AlertBatchResult(AlreadyApplied: true, []);
        }

        var applied = new List<AppliedFinding>(batch.Findings.Count);
        foreach (var finding in batch.Findings)
        {
            applied.Add(await ApplyAsync(session, batch.Source, finding, now, cancellationToken).ConfigureAwait(false));
        }

        if (batch.Checkpoint is { } checkpoint)
        {
            await alerts.WriteCheckpointAsync(session, checkpoint, now, cancellationToken).ConfigureAwait(false);
        }

        return new AlertBatchResult(AlreadyApplied: false, applied);
    }

    private async Task<AppliedFinding> ApplyAsync(SqlSession session, string source, AlertFinding finding, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = AlertNames.Micro(finding.At);
        var firing = await alerts.ReadFiringAsync(session, finding.Rule, finding.Subject, cancellationToken).ConfigureAwait(false);
        var open = firing is null ? null : new OpenAlert(firing.Level, firing.OpenedAt, firing.LastNotifiedAt, firing.NotifiedLevel, firing.AcknowledgedAt is not null);
        var silencedUntil = await silences.SilencedUntilAsync(session, finding.Rule, finding.Subject, finding.Model, at, cancellationToken).ConfigureAwait(false);
        var decision = new AlertLifecycle(finding.Cooldown).Decide(open, new AlertEvaluation(finding.Breached, finding.Level, at), silencedUntil);

        long id;
        switch (decision.Action)
        {
            case AlertAction.None:
                return new AppliedFinding(finding, AlertAction.None, firing?.Id);
            case AlertAction.Resolve:
                id = firing!.Id;
                await alerts.ResolveAsync(session, id, finding, cancellationToken).ConfigureAwait(false);
                break;
            case AlertAction.Open or AlertAction.Suppress when firing is null:
                id = await alerts.InsertAsync(session, finding, decision.Alert!, silenced: decision.Action == AlertAction.Suppress, cancellationToken).ConfigureAwait(false);
                break;
            default:
                id = firing!.Id;
                await alerts.UpdateFiringAsync(session, id, finding, decision.Alert!, silenced: decision.Action == AlertAction.Suppress, cancellationToken).ConfigureAwait(false);
                break;
        }

        await alerts.InsertFindingAsync(session, id, source, decision.Action, finding, cancellationToken).ConfigureAwait(false);
        var (alertEvent, channels) = decision.Action switch
        {
            AlertAction.Open => (AlertEvent.Trigger, finding.Channels),
            AlertAction.Notify => (finding.Level > open!.NotifiedLevel ? AlertEvent.Escalation : AlertEvent.Reminder, finding.Channels),
            AlertAction.Resolve => (AlertEvent.Resolve, await AlertDeliveryStatements.NotifiedChannelsAsync(session, id, cancellationToken).ConfigureAwait(false)),
            _ => (AlertEvent.Trigger, (IReadOnlyList<string>)[]),
        };

        if (channels.Count > 0)
        {
            var snapshot = await alerts.ReadAsync(session, id, lockRow: false, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"alert {id} vanished inside its transaction");
            foreach (var channel in channels)
            {
                await deliveries.EnqueueAsync(session, snapshot, channel, alertEvent, now, cancellationToken).ConfigureAwait(false);
            }
        }

        return new AppliedFinding(finding, decision.Action, id);
    }
}
