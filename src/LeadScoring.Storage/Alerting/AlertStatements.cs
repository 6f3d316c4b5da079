using System.Data.Common;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>The SQL of alerts, their findings, applied sources and checkpoints, for the unit-of-work bodies of <see cref="AlertStore"/>.</summary>
internal sealed class AlertStatements(SqlDialect dialect)
{
    private const string Columns =
        "id, rule, subject, model, state, level, summary, figures_json, dedup_key, opened_at, updated_at, resolved_at, last_notified_at, "
        + "notified_level, findings, silenced, acknowledged_at, acknowledged_by, acknowledgement_note";

    private const string FindingColumns = "id, source, action, breached, level, at, summary, figures_json";

    /// <summary>Records <paramref name="source"/> as applied; false when it already was (nothing written).</summary>
    public async Task<bool> TryRecordSourceAsync(SqlSession session, string source, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            "INSERT INTO alert_sources (source, applied_at) VALUES (@source, @now) ON CONFLICT (source) DO NOTHING",
            [SqlArg.Text("@source", source), dialect.TimeArg("@now", now)],
            cancellationToken).ConfigureAwait(false) == 1;

    public static async Task<HashSet<string>> AppliedSourcesAsync(SqlSession session, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var names = sources.Select((_, i) => "@s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rows = await session.QueryAsync(
            $"SELECT source FROM alert_sources WHERE source IN ({string.Join(", ", names)})",
            [.. sources.Select((s, i) => SqlArg.Text(names[i], s))],
            r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
        return [.. rows];
    }

    public Task<int> WriteCheckpointAsync(SqlSession session, AlertCheckpoint checkpoint, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO alert_checkpoints (name, value, updated_at) VALUES (@name, @value, @now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            [SqlArg.Text("@name", checkpoint.Name), SqlArg.Long("@value", checkpoint.Value), dialect.TimeArg("@now", now)],
            cancellationToken);

    public static Task<long?> ReadCheckpointAsync(SqlSession session, string name, CancellationToken cancellationToken) =>
        session.ScalarInt64Async("SELECT value FROM alert_checkpoints WHERE name = @name", [SqlArg.Text("@name", name)], cancellationToken);

    /// <summary>The firing alert of <paramref name="rule"/> on <paramref name="subject"/>, its row locked for the rest of the write transaction.</summary>
    public async Task<Alert?> ReadFiringAsync(SqlSession session, string rule, string subject, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            session,
            "WHERE rule = @rule AND subject = @subject AND state = 'firing'" + dialect.LockRowsClause,
            [SqlArg.Text("@rule", rule), SqlArg.Text("@subject", subject)],
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>One alert; with <paramref name="lockRow"/> its row is locked for the rest of a write transaction.</summary>
    public async Task<Alert?> ReadAsync(SqlSession session, long id, bool lockRow, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(session, "WHERE id = @id" + (lockRow ? dialect.LockRowsClause : ""), [SqlArg.Long("@id", id)], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Alerts matching <paramref name="condition"/> (a WHERE/ORDER/LIMIT tail).</summary>
    public Task<List<Alert>> QueryAsync(SqlSession session, string condition, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM alerts {condition}", args, MapAlert, cancellationToken);

    /// <summary>Inserts a firing alert opened by <paramref name="finding"/> and returns its id.</summary>
    public async Task<long> InsertAsync(SqlSession session, AlertFinding finding, OpenAlert open, bool silenced, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            """
            INSERT INTO alerts (rule, subject, model, state, level, summary, figures_json, dedup_key, opened_at, updated_at, resolved_at,
                last_notified_at, notified_level, findings, silenced, acknowledged_at, acknowledged_by, acknowledgement_note)
            VALUES (@rule, @subject, @model, 'firing', @level, @summary, @figures, @key, @opened, @at, NULL,
                @notified, @notified_level, 1, @silenced, NULL, NULL, NULL)
            RETURNING id
            """,
            [
                SqlArg.Text("@rule", finding.Rule), SqlArg.Text("@subject", finding.Subject), SqlArg.Text("@model", finding.Model),
                SqlArg.Text("@level", AlertNames.Of(open.Level)), SqlArg.Text("@summary", finding.Summary), SqlArg.Text("@figures", finding.FiguresJson),
                SqlArg.Text("@key", AlertNames.DedupKey(finding.Rule, finding.Subject)), dialect.TimeArg("@opened", AlertNames.Micro(open.OpenedAt)),
                dialect.TimeArg("@at", AlertNames.Micro(finding.At)), dialect.TimeArg("@notified", AlertNames.Micro(open.LastNotifiedAt)),
                SqlArg.Text("@notified_level", AlertNames.Of(open.NotifiedLevel)), SqlArg.Int("@silenced", silenced ? 1 : 0),
            ],
            cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the insert returned no id");

    /// <summary>
    /// A firing alert after a finding that keeps it open: its level, summary and figures, when and at what level the
    /// channels were last told, whether it is silenced, and one more finding. An acknowledgement the lifecycle
    /// dropped (the level rose) is cleared, so reminders resume until someone acknowledges the new level.
    /// </summary>
    public Task<int> UpdateFiringAsync(SqlSession session, long id, AlertFinding finding, OpenAlert open, bool silenced, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE alerts SET level = @level, summary = @summary, figures_json = @figures, updated_at = @at,
                last_notified_at = @notified, notified_level = @notified_level, findings = findings + 1, silenced = @silenced,
                acknowledged_at = CASE WHEN @acknowledged = 1 THEN acknowledged_at END,
                acknowledged_by = CASE WHEN @acknowledged = 1 THEN acknowledged_by END,
                acknowledgement_note = CASE WHEN @acknowledged = 1 THEN acknowledgement_note END
            WHERE id = @id AND state = 'firing'
            """,
            [
                SqlArg.Text("@level", AlertNames.Of(open.Level)), SqlArg.Text("@summary", finding.Summary), SqlArg.Text("@figures", finding.FiguresJson),
                dialect.TimeArg("@at", AlertNames.Micro(finding.At)), dialect.TimeArg("@notified", AlertNames.Micro(open.LastNotifiedAt)),
                SqlArg.Text("@notified_level", AlertNames.Of(open.NotifiedLevel)), SqlArg.Int("@silenced", silenced ? 1 : 0),
                SqlArg.Int("@acknowledged", open.Acknowledged ? 1 : 0), SqlArg.Long("@id", id),
            ],
            cancellationToken);

    /// <summary>Resolves a firing alert: the clearing finding's summary and figures, its time as resolved_at; the level stays the last firing one.</summary>
    public Task<int> ResolveAsync(SqlSession session, long id, AlertFinding finding, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE alerts SET state = 'resolved', summary = @summary, figures_json = @figures, updated_at = @at, resolved_at = @at,
                findings = findings + 1, silenced = 0
            WHERE id = @id AND state = 'firing'
            """,
            [SqlArg.Text("@summary", finding.Summary), SqlArg.Text("@figures", finding.FiguresJson), dialect.TimeArg("@at", AlertNames.Micro(finding.At)), SqlArg.Long("@id", id)],
            cancellationToken);

    public Task<int> AcknowledgeAsync(SqlSession session, long id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE alerts SET acknowledged_at = @at, acknowledged_by = @by, acknowledgement_note = @note
            WHERE id = @id AND state = 'firing' AND acknowledged_at IS NULL
            """,
            [dialect.TimeArg("@at", at), SqlArg.Text("@by", by), SqlArg.Text("@note", note), SqlArg.Long("@id", id)],
            cancellationToken);

    public Task<int> InsertFindingAsync(SqlSession session, long alertId, string source, AlertAction action, AlertFinding finding, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO alert_findings (alert_id, source, action, breached, level, at, summary, figures_json)
            VALUES (@alert, @source, @action, @breached, @level, @at, @summary, @figures)
            """,
            [
                SqlArg.Long("@alert", alertId), SqlArg.Text("@source", source), SqlArg.Text("@action", AlertNames.Of(action)),
                SqlArg.Int("@breached", finding.Breached ? 1 : 0), SqlArg.Text("@level", AlertNames.Of(finding.Level)),
                dialect.TimeArg("@at", AlertNames.Micro(finding.At)), SqlArg.Text("@summary", finding.Summary), SqlArg.Text("@figures", finding.FiguresJson),
            ],
            cancellationToken);

    /// <summary>The alert's latest <paramref name="limit"/> findings, newest first.</summary>
    public Task<List<StoredFinding>> ReadFindingsAsync(SqlSession session, long alertId, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {FindingColumns} FROM alert_findings WHERE alert_id = @alert ORDER BY id DESC LIMIT @limit",
            [SqlArg.Long("@alert", alertId), SqlArg.Int("@limit", limit)],
            r => new StoredFinding(
                r.GetInt64(0), r.GetString(1), AlertNames.ParseAction(r.GetString(2)), r.GetInt32(3) != 0, AlertNames.ParseLevel(r.GetString(4)),
                dialect.ReadTime(r, 5), r.GetString(6), r.GetString(7)),
            cancellationToken);

    private Alert MapAlert(DbDataReader r) => new(
        Id: r.GetInt64(0),
        Rule: r.GetString(1),
        Subject: r.GetString(2),
        Model: r.IsDBNull(3) ? null : r.GetString(3),
        State: AlertNames.ParseState(r.GetString(4)),
        Level: AlertNames.ParseLevel(r.GetString(5)),
        Summary: r.GetString(6),
        FiguresJson: r.GetString(7),
        DedupKey: r.GetString(8),
        OpenedAt: dialect.ReadTime(r, 9),
        UpdatedAt: dialect.ReadTime(r, 10),
        ResolvedAt: r.IsDBNull(11) ? null : dialect.ReadTime(r, 11),
        LastNotifiedAt: dialect.ReadTime(r, 12),
        NotifiedLevel: AlertNames.ParseLevel(r.GetString(13)),
        Findings: r.GetInt64(14),
        Silenced: r.GetInt32(15) != 0,
        AcknowledgedAt: r.IsDBNull(16) ? null : dialect.ReadTime(r, 16),
        AcknowledgedBy: r.IsDBNull(17) ? null : r.GetString(17),
        AcknowledgementNote: r.IsDBNull(18) ? null : r.GetString(18));
}
