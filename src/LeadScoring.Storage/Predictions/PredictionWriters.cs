using System.Globalization;
using System.Text;
using LeadScoring.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// Writes a validated batch into <c>predictions</c> inside the caller's write transaction, the fastest way the
/// database offers. Chosen once per database by <see cref="For"/>, so the store itself has no provider code.
/// </summary>
internal abstract class PredictionWriter
{
    /// <summary>PostgreSQL: binary COPY; any other database: multi-row INSERT statements.</summary>
    public static PredictionWriter For(SqlDialect dialect) =>
        dialect is PostgresDialect ? new CopyPredictionWriter() : new InsertPredictionWriter(dialect);

    public abstract Task WriteAsync(SqlSession session, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken);

    /// <summary>The instant in UTC to the microsecond, what both databases keep.</summary>
    protected static DateTimeOffset ToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}

/// <summary>
/// Multi-row <c>INSERT … VALUES (…), (…)</c> statements of <see cref="RowsPerStatement"/> rows. SQLite allows
/// 32,766 variables per statement, but Microsoft.Data.Sqlite binds each parameter by name (a linear search in
/// SQLite), so a statement's binding cost grows with the square of its variables: one modest statement, prepared once
/// and re-executed with new values, does the whole batch instead.
/// </summary>
internal sealed class InsertPredictionWriter(SqlDialect dialect) : PredictionWriter
{
    /// <summary>Rows per statement: 64 × 12 columns = 768 variables.</summary>
    public const int RowsPerStatement = 64;

    // Parameter names by row and column, built once: chunks are re-filled on every batch.
    private static readonly string[] Names = Enumerable.Range(0, RowsPerStatement * PredictionSchema.InsertColumns.Count)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"@p{i / PredictionSchema.InsertColumns.Count}_{i % PredictionSchema.InsertColumns.Count}"))
        .ToArray();

    private static readonly string FullStatement = InsertStatement(RowsPerStatement);

    public override async Task WriteAsync(SqlSession session, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        var full = batch.Count / RowsPerStatement * RowsPerStatement;
        if (full > 0)
        {
            await InsertChunksAsync(session, FullStatement, batch, 0, full, RowsPerStatement, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Count > full)
        {
            var rest = batch.Count - full;
            await InsertChunksAsync(session, InsertStatement(rest), batch, full, batch.Count, rest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="sql"/> (<paramref name="rows"/> rows) for each chunk of batch[start..end), preparing it once.</summary>
    private async Task InsertChunksAsync(
        SqlSession session, string sql, IReadOnlyList<PredictionRecord> batch, int start, int end, int rows, CancellationToken cancellationToken)
    {
        var args = new SqlArg[rows * PredictionSchema.InsertColumns.Count];
        Fill(args, batch, start, rows);
        var command = session.Command(sql, args);
        await using (command.ConfigureAwait(false))
        {
            for (var chunk = start; chunk < end; chunk += rows)
            {
                if (chunk > start)
                {
                    Fill(args, batch, chunk, rows);
                    for (var i = 0; i < args.Length; i++)
                    {
                        command.Parameters[i].Value = args[i].Value ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Fill(SqlArg[] args, IReadOnlyList<PredictionRecord> batch, int start, int rows)
    {
        var k = 0;
        for (var row = 0; row < rows; row++)
        {
            var r = batch[start + row];
            args[k++] = SqlArg.Text(Name(row, 0), r.RequestId);
            args[k++] = SqlArg.Text(Name(row, 1), r.LeadId);
            args[k++] = dialect.TimeArg(Name(row, 2), ToMicroseconds(r.ScoredAt));
            args[k++] = SqlArg.Text(Name(row, 3), r.ModelName);
            args[k++] = SqlArg.Int(Name(row, 4), r.ModelVersion);
            args[k++] = SqlArg.Text(Name(row, 5), r.Arm);
            args[k++] = SqlArg.Double(Name(row, 6), r.Score);
            args[k++] = SqlArg.Text(Name(row, 7), r.Band);
            args[k++] = SqlArg.Long(Name(row, 8), r.LatencyMicroseconds);
            args[k++] = SqlArg.Text(Name(row, 9), r.FeaturesJson);
            args[k++] = SqlArg.Int(Name(row, 10), r.ShadowModelVersion);
            args[k++] = SqlArg.Double(Name(row, 11), r.ShadowScore);
        }
    }

    private static string Name(int row, int column) => Names[(row * PredictionSchema.InsertColumns.Count) + column];

    private static string InsertStatement(int rows)
    {
        var sql = new StringBuilder("INSERT INTO predictions (").AppendJoin(", ", PredictionSchema.InsertColumns).Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < PredictionSchema.InsertColumns.Count; column++)
            {
                sql.Append(column == 0 ? "" : ", ").Append(Name(row, column));
            }

            sql.Append(')');
        }

        return sql.ToString();
    }
}

/// <summary>PostgreSQL's binary <c>COPY … FROM STDIN</c>: one round trip streams the whole batch, in the caller's transaction.</summary>
internal sealed class CopyPredictionWriter : PredictionWriter
{
    private static readonly string CopyStatement =
        $"COPY predictions ({string.Join(", ", PredictionSchema.InsertColumns)}) FROM STDIN (FORMAT BINARY)";

    public override async Task WriteAsync(SqlSession session, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        var import = await ((NpgsqlConnection)session.Connection).BeginBinaryImportAsync(CopyStatement, cancellationToken).ConfigureAwait(false);
        await using (import.ConfigureAwait(false))
        {
            foreach (var r in batch)
            {
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.RequestId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.LeadId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(ToMicroseconds(r.ScoredAt).UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.ModelName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.ModelVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.Arm, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.Score, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.Band, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.LatencyMicroseconds, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(r.FeaturesJson, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, r.ShadowModelVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, r.ShadowScore, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is T present ? import.WriteAsync(present, type, cancellationToken) : import.WriteNullAsync(cancellationToken);
}
