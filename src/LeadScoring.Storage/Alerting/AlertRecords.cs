using LeadScoring.Core.Alerting;

namespace LeadScoring.Storage.Alerting;

/// <summary>
/// What one rule found about one subject in one evaluation: the finding an alert is raised, updated or resolved by.
/// <paramref name="Subject"/> names what the rule looked at ("lead-scoring/lead_source", "lead-scoring/v3"); with
/// <paramref name="Rule"/> it is the alert's identity (one open alert per rule and subject: deduplication).
/// <paramref name="Channels"/> are the channels the level routes to ("slack", "email", "pagerduty"; empty for Info:
/// stored and shown only). <paramref name="FiguresJson"/> is a JSON object of the figures behind the finding.
/// </summary>
public sealed record AlertFinding(
    string Rule,
    string Subject,
    string? Model,
    bool Breached,
    AlertLevel Level,
    DateTimeOffset At,
    string Summary,
    string FiguresJson,
    IReadOnlyList<string> Channels,
    TimeSpan Cooldown);

/// <summary>A named position a source of findings has been read up to (the last deployment alert id turned into findings, …).</summary>
public sealed record AlertCheckpoint(string Name, long Value);

/// <summary>
/// The findings of one evaluation, applied in one transaction. <paramref name="Source"/> names the evaluation
/// ("monitoring_run:42", "ops:2026-12-02T10:05:00Z", "deployment_alert:7") and makes it idempotent: a source already
/// applied changes nothing. <paramref name="Checkpoint"/>, when given, is written in the same transaction.
/// </summary>
public sealed record AlertFindingBatch(string Source, IReadOnlyList<AlertFinding> Findings, AlertCheckpoint? Checkpoint = null);

/// <summary>What applying one finding did (<see cref="AlertAction.None"/> findings are not stored).</summary>
public sealed record AppliedFinding(AlertFinding Finding, AlertAction Action, long? AlertId);

/// <summary>The result of <see cref="AlertStore.ApplyAsync"/>; <paramref name="AlreadyApplied"/> when the source was applied before (nothing changed).</summary>
public sealed record AlertBatchResult(bool AlreadyApplied, IReadOnlyList<AppliedFinding> Applied);

/// <summary>Whether an alert is open.</summary>
public enum AlertState
{
    /// <summary>The condition holds (or held at the last evaluation).</summary>
    Firing,

    /// <summary>The condition cleared.</summary>
    Resolved,
}

/// <summary>
/// An alert as stored: one rule on one subject from the breach that opened it to the evaluation that cleared it.
/// <paramref name="DedupKey"/> is stable per rule and subject (PagerDuty's dedup_key: trigger and resolve share it).
/// </summary>
public sealed record Alert(
    long Id,
    string Rule,
    string Subject,
    string? Model,
    AlertState State,
    AlertLevel Level,
    string Summary,
    string FiguresJson,
    string DedupKey,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset LastNotifiedAt,
    AlertLevel NotifiedLevel,
    long Findings,
    bool Silenced,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? AcknowledgementNote);

/// <summary>What a delivery tells a channel.</summary>
public enum AlertEvent
{
    /// <summary>A new alert.</summary>
    Trigger,

    /// <summary>Still firing after the cooldown, unacknowledged.</summary>
    Reminder,

    /// <summary>The level rose.</summary>
    Escalation,

    /// <summary>Someone acknowledged it (sent to PagerDuty only, when it got the trigger).</summary>
    Acknowledge,

    /// <summary>The condition cleared (sent to the channels that got the trigger).</summary>
    Resolve,
}

/// <summary>Where a delivery is.</summary>
public enum DeliveryState
{
    /// <summary>Waiting for its next attempt (or its first).</summary>
    Pending,

    /// <summary>The channel accepted it.</summary>
    Sent,

    /// <summary>Given up after its last attempt.</summary>
    Failed,
}

/// <summary>
/// One message for one channel in the outbox, with a snapshot of the alert as it was when the message was decided
/// (so a later change of the alert does not change what was meant to be said).
/// </summary>
public sealed record AlertDelivery(
    long Id,
    long AlertId,
    string Channel,
    AlertEvent Event,
    AlertLevel Level,
    string Rule,
    string Subject,
    string? Model,
    string Summary,
    string FiguresJson,
    string DedupKey,
    DateTimeOffset OpenedAt,
    DateTimeOffset CreatedAt,
    DeliveryState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError);

/// <summary>One attempt to deliver: when, how it went, how long it took, and the error (never a secret) when it failed.</summary>
public sealed record DeliveryAttempt(long DeliveryId, int Attempt, DateTimeOffset At, bool Succeeded, double DurationMilliseconds, string? Error);

/// <summary>How one attempt went, as the delivery worker reports it. <paramref name="RetryAt"/>: null after a success, or when giving up.</summary>
public sealed record DeliveryOutcome(bool Succeeded, DateTimeOffset At, double DurationMilliseconds, string? Error, DateTimeOffset? RetryAt);

/// <summary>
/// A silence: findings of matching alerts are recorded but nobody is told until <paramref name="EndsAt"/>. A null
/// <paramref name="Rule"/>, <paramref name="Subject"/> or <paramref name="Model"/> matches any. Who and why are required.
/// </summary>
public sealed record NewSilence(string? Rule, string? Subject, string? Model, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Reason);

/// <summary>A stored silence; <paramref name="ExpiredAt"/> when someone ended it early.</summary>
public sealed record Silence(long Id, string? Rule, string? Subject, string? Model, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? ExpiredAt);

/// <summary>Which alerts to list; null fields match any. <paramref name="From"/>/<paramref name="To"/> bound the time the alert was last updated, [From, To).</summary>
public sealed record AlertFilter(AlertState? State = null, AlertLevel? Level = null, string? Rule = null, string? Model = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>One page of alerts, newest first; pass <paramref name="NextBefore"/> to continue (null: last page).</summary>
public sealed record AlertPage(IReadOnlyList<Alert> Alerts, long? NextBefore);

/// <summary>A stored finding of an alert (what each evaluation said), with what it did.</summary>
public sealed record StoredFinding(long Id, string Source, AlertAction Action, bool Breached, AlertLevel Level, DateTimeOffset At, string Summary, string FiguresJson);

/// <summary>An alert with its latest findings and every delivery with its attempts.</summary>
public sealed record AlertDetail(Alert Alert, IReadOnlyList<StoredFinding> Findings, IReadOnlyList<AlertDelivery> Deliveries, IReadOnlyList<DeliveryAttempt> Attempts);
