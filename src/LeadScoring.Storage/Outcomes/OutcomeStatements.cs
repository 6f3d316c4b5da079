using System.Data.Common;
using System.Globalization;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Outcomes;

/// <summary>The outcomes' SQL, for the unit-of-work bodies of <see cref="OutcomeStore"/>.</summary>
internal sealed class OutcomeStatements(SqlDialect dialect)
{
    private readonly OutcomeStaging _staging = OutcomeStaging.For(dialect);

    /// <summary>Lead ids per <c>IN (…)</c> list of a read.</summary>
    public const int IdsPerStatement = 1000;

    private const string Columns = "lead_id, converted, revenue, occurred_at, received_at, source";

    /// <summary>Holds the outcomes' write lock until commit (see <see cref="OutcomeSchema"/>).</summary>
    public Task<object?> LockWritersAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ScalarAsync("SELECT id FROM outcome_writer WHERE id = 1" + dialect.LockRowsClause, [], cancellationToken);

    /// <summary>
    /// Writes distinct leads' outcomes: stages them in a temporary table, copies the current outcomes they replace
    /// into the history, then upserts them where they differ; two set-based statements whatever the count. Returns
    /// how many were replaced and how many written in all (new ones and replacements).
    /// </summary>
    public async Task<(int Replaced, int Written)> WriteAsync(
        SqlSession session,
        OutcomeRecord[] outcomes,
        string source,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The table outlives the transaction on a pooled SQLite connection (PostgreSQL's pool discards it): empty it.
        await session.ExecuteAsync(
            dialect.Types.Fill(
                """
                CREATE TEMP TABLE IF NOT EXISTS outcome_batch (
                    lead_id TEXT NOT NULL, converted BOOLEAN NOT NULL, revenue {Double} NULL, occurred_at {Time} NOT NULL)
                """),
            [],
            cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("DELETE FROM outcome_batch", [], cancellationToken).ConfigureAwait(false);
        await _staging.StageAsync(session, outcomes, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<SqlArg> args = [dialect.TimeArg("@now", now), SqlArg.Text("@source", source)];
        var replaced = await session.ExecuteAsync(
            $"""
            INSERT INTO outcome_history ({Columns}, replaced_at)
            SELECT o.lead_id, o.converted, o.revenue, o.occurred_at, o.received_at, o.source, @now
            FROM outcome_batch b JOIN outcomes o ON o.lead_id = b.lead_id
            WHERE {Differs("o", "b")}
            """,
            args,
            cancellationToken).ConfigureAwait(false);
        // WHERE true: SQLite needs it to read ON CONFLICT after INSERT … SELECT as the upsert clause. In lead id order,
        // so the primary key's pages are visited once each, not at random.
        var written = await session.ExecuteAsync(
            $"""
            INSERT INTO outcomes ({Columns})
            SELECT lead_id, converted, revenue, occurred_at, @now, @source FROM outcome_batch WHERE true ORDER BY lead_id
            ON CONFLICT (lead_id) DO UPDATE SET
                converted = excluded.converted, revenue = excluded.revenue, occurred_at = excluded.occurred_at,
                received_at = excluded.received_at, source = excluded.source
            WHERE {Differs("outcomes", "excluded")}
            """,
            args,
            cancellationToken).ConfigureAwait(false);
        return (replaced, written);
    }

    /// <summary>The current outcome of a lead, or null.</summary>
    public async Task<StoredOutcome?> ReadCurrentAsync(SqlSession session, string leadId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            $"SELECT {Columns}, NULL FROM outcomes WHERE lead_id = @lead",
            [SqlArg.Text("@lead", leadId)],
            ReadOutcome,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The replaced versions of a lead, oldest first.</summary>
    public Task<List<StoredOutcome>> ReadReplacedAsync(SqlSession session, string leadId, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {Columns}, replaced_at FROM outcome_history WHERE lead_id = @lead ORDER BY id",
            [SqlArg.Text("@lead", leadId)],
            ReadOutcome,
            cancellationToken);

    /// <summary>
    /// The version each lead matching <paramref name="condition"/> (on the version's columns) had at
    /// <paramref name="knownBy"/>: the current one when received by then, else the replaced one that was current then.
    /// </summary>
    public Task<List<StoredOutcome>> ReadKnownByAsync(
        SqlSession session,
        string condition,
        IReadOnlyList<SqlArg> args,
        DateTimeOffset knownBy,
        CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"""
            SELECT {Columns}, NULL FROM outcomes WHERE received_at <= @knownBy AND ({condition})
            UNION ALL
            SELECT {Columns}, NULL FROM outcome_history WHERE received_at <= @knownBy AND replaced_at > @knownBy AND ({condition})
            """,
            [dialect.TimeArg("@knownBy", knownBy), .. args],
            ReadOutcome,
            cancellationToken);

    public static async Task<OutcomeSummary> ReadSummaryAsync(SqlSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT COUNT(*), SUM(CASE WHEN converted THEN 1 ELSE 0 END), SUM(revenue) FROM outcomes",
            [],
            r => new OutcomeSummary(
                Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
                r.IsDBNull(1) ? 0 : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                r.IsDBNull(2) ? 0 : r.GetDouble(2)),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <summary>The condition "the outcome in <paramref name="current"/> is not the one in <paramref name="incoming"/>".</summary>
    // Revenue compared NULL-safely with IS DISTINCT FROM: the same on both databases (SQLite since 3.39).
    private static string Differs(string current, string incoming) =>
        $"{current}.converted <> {incoming}.converted OR {current}.revenue IS DISTINCT FROM {incoming}.revenue OR {current}.occurred_at <> {incoming}.occurred_at";

    private StoredOutcome ReadOutcome(DbDataReader r) => new(
        r.GetString(0),
        r.GetBoolean(1),
        r.IsDBNull(2) ? null : r.GetDouble(2),
        dialect.ReadTime(r, 3),
        dialect.ReadTime(r, 4),
        r.GetString(5),
        r.IsDBNull(6) ? null : dialect.ReadTime(r, 6));
}
