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

    /// <summary>The statement's outcome column (see <see cref="Statement"/>) as converted and revenue.</summary>
    protected static bool? Outcome(double? column, out double? revenue)
    {
        revenue = column >= 0 ? column : null;
        return column is null ? null : column != -2;
    }

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

        // One outcome column: NULL no outcome known, -2 not converted, -1 converted without a revenue, else the
        // revenue of a conversion (never negative: a CHECK). The replaced versions are looked up only for a lead
        // without a current outcome known at KnownBy (CASE evaluates its branches lazily on both databases), where
        // a join to them would probe the history once per row.
        var sql = $"""
            SELECT p.lead_id, p.scored_at, p.model_version, p.score, p.band, p.features_json,
                   CASE WHEN c.lead_id IS NOT NULL THEN (CASE WHEN c.converted THEN COALESCE(c.revenue, -1) ELSE -2 END)
                   ELSE (SELECT CASE WHEN h.converted THEN COALESCE(h.revenue, -1) ELSE -2 END
                         FROM outcome_history h
                         WHERE h.lead_id = p.lead_id AND h.received_at <= @known_by AND h.replaced_at > @known_by
                         ORDER BY h.id DESC LIMIT 1) END
            FROM predictions p {walkIndex}
            LEFT JOIN outcomes c ON c.lead_id = p.lead_id AND c.received_at <= @known_by
            WHERE p.model_name = @model AND p.scored_at >= @from AND p.scored_at < @to{scope}
            ORDER BY p.scored_at, p.id
            """;
        return (sql, args);
    }
}

/// <summary>
/// SQLite through its own API (SQLitePCL) on the session's connection and transaction: columns come as UTF-8 spans,
/// copied into the <see cref="MonitoringWindowPipeline"/>'s chunks, so no per-row strings are made.
/// Microsoft.Data.Sqlite's reader would make a string of every text column of every row.
/// </summary>
internal sealed class SqliteWindowScan(SqlDialect dialect) : MonitoringWindowScan
{
    public override async Task ReadAsync(SqlSession session, MonitoringWindowQuery query, MonitoringWindowBuilder builder, CancellationToken cancellationToken)
    {
        // This thread steps SQLite and copies each row out; the pipeline's thread parses them (about as much work).
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
            using var pipeline = new MonitoringWindowPipeline(builder);
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if (ShouldCheck(++row))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!pipeline.IsFirst(raw.sqlite3_column_blob(statement, 0)))
                {
                    continue;
                }

                pipeline.Add(
                    ParseTicks(raw.sqlite3_column_blob(statement, 1)),
                    raw.sqlite3_column_int(statement, 2),
                    raw.sqlite3_column_double(statement, 3),
                    raw.sqlite3_column_blob(statement, 4),
                    raw.sqlite3_column_blob(statement, 5),
                    Outcome(raw.sqlite3_column_type(statement, 6) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(statement, 6), out var revenue),
                    revenue);
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }

            await pipeline.CompleteAsync().ConfigureAwait(false);
        }
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

/// <summary>
/// PostgreSQL through Npgsql's reader, sequentially, the text columns read as their UTF-8 bytes into reused buffers
/// (no strings) and handed to the <see cref="MonitoringWindowPipeline"/>.
/// </summary>
internal sealed class PostgresWindowScan(SqlDialect dialect) : MonitoringWindowScan
{
    public override async Task ReadAsync(SqlSession session, MonitoringWindowQuery query, MonitoringWindowBuilder builder, CancellationToken cancellationToken)
    {
        var (sql, args) = Statement(dialect, query, "");
        // For this transaction only: the planner's JIT compiles this million-row join for about a second and saves
        // less; and the default 4 MB of sort memory spilled a million rows of features to disk (about 300 MB),
        // which 256 MB per sort (the parallel workers sort their parts) keeps in memory for a window of a million.
        await session.ExecuteAsync("SET LOCAL jit = off", [], cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("SET LOCAL work_mem = '256MB'", [], cancellationToken).ConfigureAwait(false);
        var command = session.Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                using var pipeline = new MonitoringWindowPipeline(builder);
                var leadId = new byte[256];
                var band = new byte[64];
                var features = new byte[4096];
                long row = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (ShouldCheck(++row))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    // Sequential access: columns are read in order, and a row can be left before its end.
                    var leadIdLength = Utf8(reader, 0, ref leadId);
                    if (!pipeline.IsFirst(leadId.AsSpan(0, leadIdLength)))
                    {
                        continue;
                    }

                    var scoredAt = reader.GetFieldValue<DateTime>(1).Ticks;
                    var version = reader.GetInt32(2);
                    var score = reader.GetDouble(3);
                    var bandLength = Utf8(reader, 4, ref band);
                    var featuresLength = Utf8(reader, 5, ref features);
                    var converted = Outcome(reader.IsDBNull(6) ? null : reader.GetDouble(6), out var revenue);
                    pipeline.Add(
                        scoredAt, version, score, band.AsSpan(0, bandLength), features.AsSpan(0, featuresLength),
                        converted, revenue);
                }

                await pipeline.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    // A text column's UTF-8 bytes (the database's encoding), without making a string.
    private static int Utf8(DbDataReader reader, int ordinal, ref byte[] buffer)
    {
        var length = checked((int)reader.GetBytes(ordinal, 0, null, 0, 0));
        if (length > buffer.Length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        return (int)reader.GetBytes(ordinal, 0, buffer, 0, length);
    }
}
