using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>
/// The alert store's schema as numbered migrations (component 'alerts'), in the registry's database (SQLite
/// <c>leadscoring.db</c>, or the shared PostgreSQL database). Never edit a released step: add one.
/// </summary>
internal static class AlertSchema
{
    public const string Component = "alerts";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            // A batch's source is recorded in the batch's transaction: applying it again finds it and changes nothing.
            types.Fill(
                """
                CREATE TABLE alert_sources (
                    source TEXT NOT NULL PRIMARY KEY,
                    applied_at {Time} NOT NULL)
                """),
            types.Fill(
                """
                CREATE TABLE alert_checkpoints (
                    name TEXT NOT NULL PRIMARY KEY,
                    value BIGINT NOT NULL,
                    updated_at {Time} NOT NULL)
                """),
            types.Fill(
                """
                CREATE TABLE alerts (
                    id {AutoId},
                    rule TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    model TEXT NULL,
                    state TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
                    level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'critical')),
                    summary TEXT NOT NULL,
                    figures_json TEXT NOT NULL,
                    dedup_key TEXT NOT NULL,
                    opened_at {Time} NOT NULL,
                    updated_at {Time} NOT NULL,
                    resolved_at {Time} NULL,
                    last_notified_at {Time} NOT NULL,
                    notified_level TEXT NOT NULL CHECK (notified_level IN ('info', 'warning', 'critical')),
                    findings BIGINT NOT NULL,
                    silenced INTEGER NOT NULL,
                    acknowledged_at {Time} NULL,
                    acknowledged_by TEXT NULL,
                    acknowledgement_note TEXT NULL)
                """),
            // The database itself refuses a second firing alert of a rule on a subject (deduplication).
            "CREATE UNIQUE INDEX ux_alerts_one_firing ON alerts (rule, subject) WHERE state = 'firing'",
            "CREATE INDEX ix_alerts_updated ON alerts (updated_at, id)",
            types.Fill(
                """
                CREATE TABLE alert_findings (
                    id {AutoId},
                    alert_id BIGINT NOT NULL REFERENCES alerts (id),
                    source TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('open', 'update', 'notify', 'resolve', 'suppress')),
                    breached INTEGER NOT NULL,
                    level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'critical')),
                    at {Time} NOT NULL,
                    summary TEXT NOT NULL,
                    figures_json TEXT NOT NULL)
                """),
            "CREATE INDEX ix_alert_findings_alert ON alert_findings (alert_id, id)",
            // The outbox: one row per message to one channel, with the alert as it was when the message was decided.
            types.Fill(
                """
                CREATE TABLE alert_deliveries (
                    id {AutoId},
                    alert_id BIGINT NOT NULL REFERENCES alerts (id),
                    channel TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (event IN ('trigger', 'reminder', 'escalation', 'acknowledge', 'resolve')),
                    level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'critical')),
                    rule TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    model TEXT NULL,
                    summary TEXT NOT NULL,
                    figures_json TEXT NOT NULL,
                    dedup_key TEXT NOT NULL,
                    opened_at {Time} NOT NULL,
                    created_at {Time} NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
                    attempts INTEGER NOT NULL,
                    next_attempt_at {Time} NOT NULL,
                    claimed_by TEXT NULL,
                    claimed_until {Time} NULL,
                    sent_at {Time} NULL,
                    last_error TEXT NULL)
                """),
            "CREATE INDEX ix_alert_deliveries_due ON alert_deliveries (state, next_attempt_at, id)",
            "CREATE INDEX ix_alert_deliveries_alert ON alert_deliveries (alert_id, id)",
            types.Fill(
                """
                CREATE TABLE alert_delivery_attempts (
                    delivery_id BIGINT NOT NULL REFERENCES alert_deliveries (id),
                    attempt INTEGER NOT NULL,
                    at {Time} NOT NULL,
                    succeeded INTEGER NOT NULL,
                    duration_ms {Double} NOT NULL,
                    error TEXT NULL,
                    PRIMARY KEY (delivery_id, attempt))
                """),
            types.Fill(
                """
                CREATE TABLE alert_silences (
                    id {AutoId},
                    rule TEXT NULL,
                    subject TEXT NULL,
                    model TEXT NULL,
                    starts_at {Time} NOT NULL,
                    ends_at {Time} NOT NULL,
                    created_by TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at {Time} NOT NULL,
                    expired_at {Time} NULL)
                """),
            "CREATE INDEX ix_alert_silences_ends ON alert_silences (ends_at)"),
    ];
}
