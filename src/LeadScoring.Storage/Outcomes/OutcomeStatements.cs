using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Outcomes;

/// <summary>The outcomes' SQL, for the unit-of-work bodies of <see cref="OutcomeStore"/>.</summary>
internal sealed class OutcomeStatements(SqlDialect dialect)
{
    /// <summary>
    /// Rows per multi-row statement: 4 parameters a row stays far below SQLite's 32,766 and PostgreSQL's 65,535,
    /// and SQLite looks a parameter up by name with a linear scan, so a statement with far more rows binds slower.
    /// </summary>
    public const int RowsPerStatement = 500;

    /// <summary>Lead ids per <c>IN (…)</c> list of a read.</summary>
    public const int IdsPerStatement = 1000;

    private const string Columns = "lead_id, converted, revenue, occurred_at, received_at, source";

    /// <summary>Holds the outcomes' write lock until commit (see <see cref="OutcomeSchema"/>).</summary>
    public Task<object?> LockWritersAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ScalarAsync("SELECT id FROM outcome_writer WHERE id = 1" + dialect.LockRowsClause, [], cancellationToken);

    /// <summary>
    /// Writes one chunk (distinct lead ids): first copies the current outcomes these rows replace into the history,
    /// then upserts the rows where they differ. Returns how many were replaced and how many written in all.
    /// </summary>
    public async Task<(int Replaced, int Written)> WriteChunkAsync(
        SqlSession session,
        ReadOnlyMemory<OutcomeRecord> chunk,
        string source,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var args = new List<SqlArg>(chunk.Length * 4 + 2) { dialect.TimeArg("@now", now), SqlArg.Text("@source", source) };
        var values = new StringBuilder(chunk.Length * 40);
        var rows = chunk.Span;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            args.Add(SqlArg.Text("@l" + n, row.LeadId));
            args.Add(new SqlArg("@c" + n, row.Converted, DbType.Boolean));
            args.Add(SqlArg.Double("@r" + n, row.Revenue));
            args.Add(dialect.TimeArg("@t" + n, row.OccurredAt));
            values.Append(i == 0 ? "" : ", ").Append("(@l").Append(n).Append(", @c").Append(n).Append(", @r").Append(n).Append(", @t").Append(n);
            values.Append(", @now, @source)");
        }

        // The incoming rows as a table with named columns (both databases call VALUES' columns column1, column2, …).
        var replaced = await session.ExecuteAsync(
            $"""
            INSERT INTO outcome_history ({Columns}, replaced_at)
            SELECT o.lead_id, o.converted, o.revenue, o.occurred_at, o.received_at, o.source, @now
            FROM outcomes o
            JOIN (SELECT column1 AS lead_id, column2 AS converted, column3 AS revenue, column4 AS occurred_at FROM (VALUES {values}) AS v) AS b
              ON b.lead_id = o.lead_id
            WHERE {Differs("o", "b")}
            """,
            args,
            cancellationToken).ConfigureAwait(false);
        var written = await session.ExecuteAsync(
            $"""
            INSERT INTO outcomes ({Columns})
            VALUES {values}
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
