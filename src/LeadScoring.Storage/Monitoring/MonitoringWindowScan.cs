using System.Data;
using System.Data.Common;
using System.Text;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// The window's one statement, run the fastest way each database offers: every prediction of the scope in the window
/// in (scored_at, id) order with the outcome known at KnownBy, handed to a <see cref="MonitoringWindowBuilder"/>,
/// which keeps each lead's first. That is <see cref="Feedback.FeedbackStatements"/>' rule (the earliest matching
/// prediction in the window, ties by id; the current outcome when received by KnownBy, else the replaced version
/// whose [received_at, replaced_at) holds it) without its per-row NOT EXISTS probe, which a single ordered walk makes
/// unnecessary.
/// </summary>
internal abstract class MonitoringWindowScan
{
    private const int CancellationCheckRows = 4_096;

    public static MonitoringWindowScan For(SqlDialect dialect) =>
        dialect is PostgresDialect ? new PostgresWindowScan(dialect) : new SqliteWindowScan(dialect);

    public abstract Task ReadAsync(SqlSession session, MonitoringWindowQuery query, MonitoringWindowBuilder builder, CancellationToken cancellationToken);

    protected static bool ShouldCheck(long row) => row % CancellationCheckRows == 0;

    protected static (string Sql, List<SqlArg> Args) Statement(SqlDialect dialect, MonitoringWindowQuery query, string walkIndex)
    {
        List<SqlArg> args =
        [
            SqlArg.Text("@model", query.ModelName),
            dialect.TimeArg("@from", OutcomeValidation.ToStoredTime(query.ScoredFrom)),
            dialect.TimeArg("@to", OutcomeValidation.ToStoredTime(query.ScoredTo)),
            dialect.TimeArg("@known_by", OutcomeValidation.ToStoredTime(query.KnownBy)),
        ];
        var scope = "";
        if (query.ModelVersion is int version)
        {
            scope += " AND p.model_version = @version";
            args.Add(SqlArg.Int("@version", version));
        }

        if (query.Arm is not null)
        {
            scope += " AND p.arm = @arm";
            args.Add(SqlArg.Text("@arm", query.Arm));
        }

        var sql = $"""
            SELECT p.lead_id, p.scored_at, p.model_version, p.score, p.band, p.features_json,
                   CASE WHEN c.lead_id IS NOT NULL THEN c.converted WHEN h.id IS NOT NULL THEN h.converted END,
                   CASE WHEN c.lead_id IS NOT NULL THEN COALESCE(c.revenue, -1) WHEN h.id IS NOT NULL THEN COALESCE(h.revenue, -1) END
            FROM predictions p {walkIndex}
            LEFT JOIN outcomes c ON c.lead_id = p.lead_id AND c.received_at <= @known_by
            LEFT JOIN outcome_history h ON c.lead_id IS NULL AND h.id = (
                SELECT MAX(x.id) FROM outcome_history x
                WHERE x.lead_id = p.lead_id AND x.received_at <= @known_by AND x.replaced_at > @known_by)
            WHERE p.model_name = @model AND p.scored_at >= @from AND p.scored_at < @to{scope}
            ORDER BY p.scored_at, p.id
            """;
        // Revenue is never negative (a CHECK): -1 is a known outcome without one, NULL no outcome, so a reader
        // learns both from one column.
        return (sql, args);
    }
}

/// <summary>
/// SQLite through its own API (SQLitePCL) on the session's connection and transaction: columns come as UTF-8 spans,
/// so the features JSON is parsed where SQLite keeps it and no per-row strings but the lead id are made.
/// Microsoft.Data.Sqlite's reader would make a string of every text column of every row.
/// </summary>
internal sealed class SqliteWindowScan(SqlDialect dialect) : MonitoringWindowScan
{
    public override Task ReadAsync(SqlSession session, MonitoringWindowQuery query, MonitoringWindowBuilder builder, CancellationToken cancellationToken)
    {
        // SQLite has no statistics: walk (scored_at, id) in order rather than sorting the window.
        var (sql, args) = Statement(dialect, query, "INDEXED BY ix_predictions_scored_at");
        var db = ((SqliteConnection)session.Connection).Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            foreach (var arg in args)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, arg.Name);
                Check(db, arg.Value switch
                {
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    int number => raw.sqlite3_bind_int(statement, index, number),
                    _ => throw new InvalidOperationException($"unexpected parameter {arg.Name}"),
                });
            }

            long row = 0;
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if (ShouldCheck(++row))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!builder.IsFirst(Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, 0))))
                {
                    continue;
                }

                builder.Add(
                    ParseTicks(raw.sqlite3_column_blob(statement, 1)),
                    raw.sqlite3_column_int(statement, 2),
                    raw.sqlite3_column_double(statement, 3),
                    raw.sqlite3_column_blob(statement, 4),
                    raw.sqlite3_column_blob(statement, 5),
                    Outcome(raw.sqlite3_column_double(statement, 7), raw.sqlite3_column_int(statement, 6), out var revenue),
                    revenue);
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }
        }

        return Task.CompletedTask;
    }

    // SQLite reads NULL as 0: the revenue column's NULL (no outcome) is told from a known one's by its sentinel.
    private static bool? Outcome(double revenueColumn, int converted, out double? revenue)
    {
        if (revenueColumn == 0 && converted == 0)
        {
            revenue = null;
            return null;
        }

        revenue = revenueColumn < 0 ? null : revenueColumn;
        return converted != 0;
    }

    /// <summary>UTC ticks of a time in <see cref="SqliteDialect.TimeFormat"/> ("2025-03-01T10:15:30.123456Z").</summary>
    internal static long ParseTicks(ReadOnlySpan<byte> text)
    {
        if (text.Length != 27 || text[4] != '-' || text[10] != 'T' || text[19] != '.' || text[26] != 'Z')
        {
            throw new FormatException($"'{Encoding.UTF8.GetString(text)}' is not a stored time");
        }

        var date = new DateTime(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2), Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2), DateTimeKind.Utc);
        return date.Ticks + (Digits(text, 20, 6) * 10L);
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        foreach (var b in text.Slice(start, count))
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                throw new FormatException($"'{Encoding.UTF8.GetString(text)}' is not a stored time");
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}

/// <summary>PostgreSQL through Npgsql's reader, sequentially; the features text is encoded into one reused UTF-8 buffer.</summary>
internal sealed class PostgresWindowScan(SqlDialect dialect) : MonitoringWindowScan
{
    public override async Task ReadAsync(SqlSession session, MonitoringWindowQuery query, MonitoringWindowBuilder builder, CancellationToken cancellationToken)
    {
        var (sql, args) = Statement(dialect, query, "");
        // The planner's JIT compiles this million-row join for about a second and saves less: off for this
        // transaction only.
        await session.ExecuteAsync("SET LOCAL jit = off", [], cancellationToken).ConfigureAwait(false);
        var command = session.Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var utf8 = new byte[4096];
                long row = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (ShouldCheck(++row))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    Read(reader, builder, ref utf8);
                }
            }
        }
    }

    private static void Read(DbDataReader reader, MonitoringWindowBuilder builder, ref byte[] utf8)
    {
        // Sequential access: every column is read, in order, even for a lead seen before.
        var leadId = reader.GetString(0);
        var scoredAt = reader.GetFieldValue<DateTime>(1).Ticks;
        var version = reader.GetInt32(2);
        var score = reader.GetDouble(3);
        var band = reader.GetString(4);
        var features = reader.GetString(5);
        bool? converted = reader.IsDBNull(6) ? null : reader.GetBoolean(6);
        double? revenue = reader.IsDBNull(7) ? null : reader.GetDouble(7);
        revenue = revenue < 0 ? null : revenue;
        if (!builder.IsFirst(leadId))
        {
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(Math.Max(features.Length, band.Length));
        if (most > utf8.Length)
        {
            utf8 = new byte[Math.Max(most, utf8.Length * 2)];
        }

        var bandLength = Encoding.UTF8.GetBytes(band, utf8);
        var bandBytes = utf8[..bandLength];
        var length = Encoding.UTF8.GetBytes(features, utf8);
        builder.Add(scoredAt, version, score, bandBytes, utf8.AsSpan(0, length), converted, revenue);
    }
}
