using System.Data.Common;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>The SQL of the outbox (deliveries and their attempts), for the unit-of-work bodies of <see cref="AlertStore"/>.</summary>
internal sealed class AlertDeliveryStatements(SqlDialect dialect)
{
    private const string Columns =
        "id, alert_id, channel, event, level, rule, subject, model, summary, figures_json, dedup_key, opened_at, created_at, state, attempts, "
        + "next_attempt_at, sent_at, last_error";

    private const string AttemptColumns = "delivery_id, attempt, at, succeeded, duration_ms, error";

    // The events that tell a channel the alert is firing: the channels they went to are the ones told of its end.
    private const string NotifyingEvents = "('trigger', 'reminder', 'escalation')";

    // PostgreSQL: claimers skip rows another claimer has locked instead of waiting for them and then finding them
    // taken. SQLite has no row locks (and needs none: BEGIN IMMEDIATE already serialises writers).
    private readonly string _skipLocked = dialect.LockRowsClause.Length == 0 ? "" : dialect.LockRowsClause + " SKIP LOCKED";

    /// <summary>
    /// Queues <paramref name="alertEvent"/> of <paramref name="alert"/> for <paramref name="channel"/>, due at once,
    /// with the alert's level, summary and figures as they are now (the snapshot the message is made from).
    /// </summary>
    public Task<int> EnqueueAsync(SqlSession session, Alert alert, string channel, AlertEvent alertEvent, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO alert_deliveries (alert_id, channel, event, level, rule, subject, model, summary, figures_json, dedup_key, opened_at,
                created_at, state, attempts, next_attempt_at, claimed_by, claimed_until, sent_at, last_error)
            VALUES (@alert, @channel, @event, @level, @rule, @subject, @model, @summary, @figures, @key, @opened,
                @now, 'pending', 0, @now, NULL, NULL, NULL, NULL)
            """,
            [
                SqlArg.Long("@alert", alert.Id), SqlArg.Text("@channel", channel), SqlArg.Text("@event", AlertNames.Of(alertEvent)),
                SqlArg.Text("@level", AlertNames.Of(alert.Level)), SqlArg.Text("@rule", alert.Rule), SqlArg.Text("@subject", alert.Subject),
                SqlArg.Text("@model", alert.Model), SqlArg.Text("@summary", alert.Summary), SqlArg.Text("@figures", alert.FiguresJson),
                SqlArg.Text("@key", alert.DedupKey), dialect.TimeArg("@opened", alert.OpenedAt), dialect.TimeArg("@now", now),
            ],
            cancellationToken);

    /// <summary>The distinct channels that were told the alert is firing (a trigger, reminder or escalation), in name order.</summary>
    public static async Task<List<string>> NotifiedChannelsAsync(SqlSession session, long alertId, CancellationToken cancellationToken)
    {
        var channels = await session.QueryAsync(
            $"SELECT DISTINCT channel FROM alert_deliveries WHERE alert_id = @alert AND event IN {NotifyingEvents}",
            [SqlArg.Long("@alert", alertId)],
            r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
        channels.Sort(StringComparer.Ordinal);
        return channels;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending rows due at <paramref name="now"/> whose claim is free or
    /// expired, in one statement: the rows are re-checked under their locks, so two claimers never share one.
    /// </summary>
    public async Task<List<AlertDelivery>> ClaimAsync(SqlSession session, string worker, DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            // MATERIALIZED: the due rows are chosen once. As a plain IN subquery PostgreSQL may run it again for the
            // outer rows and claim more than @limit.
            $"""
            WITH due AS MATERIALIZED (
                SELECT id FROM alert_deliveries
                WHERE state = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
                ORDER BY next_attempt_at, id
                LIMIT @limit{_skipLocked})
            UPDATE alert_deliveries SET claimed_by = @worker, claimed_until = @until
            WHERE id IN (SELECT id FROM due) AND state = 'pending' AND (claimed_until IS NULL OR claimed_until <= @now)
            RETURNING {Columns}
            """,
            [SqlArg.Text("@worker", worker), dialect.TimeArg("@until", until), dialect.TimeArg("@now", now), SqlArg.Int("@limit", limit)],
            MapDelivery,
            cancellationToken).ConfigureAwait(false);
        // RETURNING comes in no particular order.
        return [.. rows.OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)];
    }

    /// <summary>The attempts made so far of a pending delivery <paramref name="worker"/> holds the claim on (row locked), or null when it does not.</summary>
    public Task<int?> HeldAttemptsAsync(SqlSession session, long id, string worker, CancellationToken cancellationToken) =>
        session.ScalarInt32Async(
            "SELECT attempts FROM alert_deliveries WHERE id = @id AND claimed_by = @worker AND state = 'pending'" + dialect.LockRowsClause,
            [SqlArg.Long("@id", id), SqlArg.Text("@worker", worker)],
            cancellationToken);

    public Task<int> InsertAttemptAsync(SqlSession session, long id, int attempt, DeliveryOutcome outcome, string? error, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"INSERT INTO alert_delivery_attempts ({AttemptColumns}) VALUES (@id, @attempt, @at, @succeeded, @duration, @error)",
            [
                SqlArg.Long("@id", id), SqlArg.Int("@attempt", attempt), dialect.TimeArg("@at", AlertNames.Micro(outcome.At)),
                SqlArg.Int("@succeeded", outcome.Succeeded ? 1 : 0), SqlArg.Double("@duration", outcome.DurationMilliseconds), SqlArg.Text("@error", error),
            ],
            cancellationToken);

    /// <summary>After an attempt: its count, the new state, when it was sent or is retried, its last error; the claim is given back.</summary>
    public Task<int> AfterAttemptAsync(
        SqlSession session, long id, int attempts, DeliveryState state, DateTimeOffset? sentAt, DateTimeOffset? retryAt, string? error, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE alert_deliveries SET attempts = @attempts, state = @state, sent_at = @sent,
                next_attempt_at = COALESCE(@retry, next_attempt_at), last_error = COALESCE(@error, last_error),
                claimed_by = NULL, claimed_until = NULL
            WHERE id = @id
            """,
            [
                SqlArg.Int("@attempts", attempts), SqlArg.Text("@state", AlertNames.Of(state)),
                sentAt is { } sent ? dialect.TimeArg("@sent", sent) : NullTime("@sent"),
                retryAt is { } retry ? dialect.TimeArg("@retry", retry) : NullTime("@retry"),
                SqlArg.Text("@error", error), SqlArg.Long("@id", id),
            ],
            cancellationToken);

    /// <summary>When the next pending delivery is due: a claimed one when its lease ends (its claimer may have died).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(SqlSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            """
            SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END)
            FROM alert_deliveries WHERE state = 'pending'
            """,
            [],
            r => r.IsDBNull(0) ? (DateTimeOffset?)null : dialect.ReadTime(r, 0),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    public Task<List<AlertDelivery>> ReadForAlertAsync(SqlSession session, long alertId, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM alert_deliveries WHERE alert_id = @alert ORDER BY id", [SqlArg.Long("@alert", alertId)], MapDelivery, cancellationToken);

    public Task<List<AlertDelivery>> ReadAsync(SqlSession session, long id, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM alert_deliveries WHERE id = @id", [SqlArg.Long("@id", id)], MapDelivery, cancellationToken);

    public Task<List<DeliveryAttempt>> ReadAttemptsForAlertAsync(SqlSession session, long alertId, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"""
            SELECT {AttemptColumns} FROM alert_delivery_attempts
            WHERE delivery_id IN (SELECT id FROM alert_deliveries WHERE alert_id = @alert)
            ORDER BY delivery_id, attempt
            """,
            [SqlArg.Long("@alert", alertId)],
            r => new DeliveryAttempt(r.GetInt64(0), r.GetInt32(1), dialect.ReadTime(r, 2), r.GetInt32(3) != 0, r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken);

    // A typed NULL: PostgreSQL must know a parameter's type even when it is NULL.
    private SqlArg NullTime(string name) => dialect.TimeArg(name, default) with { Value = null };

    private AlertDelivery MapDelivery(DbDataReader r) => new(
        Id: r.GetInt64(0),
        AlertId: r.GetInt64(1),
        Channel: r.GetString(2),
        Event: AlertNames.ParseEvent(r.GetString(3)),
        Level: AlertNames.ParseLevel(r.GetString(4)),
        Rule: r.GetString(5),
        Subject: r.GetString(6),
        Model: r.IsDBNull(7) ? null : r.GetString(7),
        Summary: r.GetString(8),
        FiguresJson: r.GetString(9),
        DedupKey: r.GetString(10),
        OpenedAt: dialect.ReadTime(r, 11),
        CreatedAt: dialect.ReadTime(r, 12),
        State: AlertNames.ParseDeliveryState(r.GetString(13)),
        Attempts: r.GetInt32(14),
        NextAttemptAt: dialect.ReadTime(r, 15),
        SentAt: r.IsDBNull(16) ? null : dialect.ReadTime(r, 16),
        LastError: r.IsDBNull(17) ? null : r.GetString(17));
}
