using System.Data.Common;
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
    /// <summary>PostgreSQL: binary COPY; any other database: one prepared single-row INSERT per batch.</summary>
    public static PredictionWriter For(SqlDialect dialect) =>
        dialect is PostgresDialect ? new CopyPredictionWriter() : new InsertPredictionWriter(dialect);

    public abstract Task WriteAsync(SqlSession session, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken);

    /// <summary>A writer for <paramref name="session"/>'s connection that is reused for batch after batch (each in its own transaction).</summary>
    public abstract Task<PreparedPredictionWriter> PrepareAsync(SqlSession session, CancellationToken cancellationToken);

    /// <summary>The instant in UTC to the microsecond, what both databases keep.</summary>
    protected static DateTimeOffset ToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}

/// <summary>
/// One single-row <c>INSERT</c>, prepared once per connection and re-executed for every row with its parameters'
/// values set in place. Microsoft.Data.Sqlite binds every parameter by name on each execution (a linear search in
/// SQLite), so a multi-row statement's binding cost grows with the square of its variables; twelve variables bind in
/// next to no time, and SQLite runs the prepared statement without parsing it again.
/// </summary>
internal sealed class InsertPredictionWriter(SqlDialect dialect) : PredictionWriter
{
    private static readonly string[] Names = PredictionSchema.InsertColumns.Select(c => "@" + c).ToArray();

    private static readonly string Statement =
        $"INSERT INTO predictions ({string.Join(", ", PredictionSchema.InsertColumns)}) VALUES ({string.Join(", ", Names)})";

    // One argument per column with its type; the values are set per row.
    private static readonly SqlArg[] Arguments =
    [
        SqlArg.Text(Names[0], null), SqlArg.Text(Names[1], null), SqlArg.Text(Names[2], null), SqlArg.Text(Names[3], null),
        SqlArg.Int(Names[4], null), SqlArg.Text(Names[5], null), SqlArg.Double(Names[6], null), SqlArg.Text(Names[7], null),
        SqlArg.Long(Names[8], 0), SqlArg.Text(Names[9], null), SqlArg.Int(Names[10], null), SqlArg.Double(Names[11], null),
    ];

    public override async Task WriteAsync(SqlSession session, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        var command = session.Command(Statement, Arguments);
        await using (command.ConfigureAwait(false))
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(command, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<PreparedPredictionWriter> PrepareAsync(SqlSession session, CancellationToken cancellationToken)
    {
        var command = session.Command(Statement, Arguments);
        try
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return new PreparedInsert(this, command);
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ExecuteAsync(DbCommand command, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        var p = command.Parameters;
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            p[0].Value = r.RequestId;
            p[1].Value = r.LeadId;
            p[2].Value = dialect.TimeArg(Names[2], ToMicroseconds(r.ScoredAt)).Value;
            p[3].Value = r.ModelName;
            p[4].Value = r.ModelVersion;
            p[5].Value = r.Arm;
            p[6].Value = r.Score;
            p[7].Value = r.Band;
            p[8].Value = r.LatencyMicroseconds;
            p[9].Value = r.FeaturesJson;
            p[10].Value = r.ShadowModelVersion is int shadowVersion ? shadowVersion : DBNull.Value;
            p[11].Value = r.ShadowScore is double shadowScore ? shadowScore : DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The prepared INSERT, kept for the connection's life: SQLite keeps its compiled statement across transactions.</summary>
    private sealed class PreparedInsert(InsertPredictionWriter writer, DbCommand command) : PreparedPredictionWriter
    {
        public override Task WriteAsync(DbTransaction transaction, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
        {
            command.Transaction = transaction;
            return writer.ExecuteAsync(command, batch, cancellationToken);
        }

        public override ValueTask DisposeAsync() => command.DisposeAsync();
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

    public override Task<PreparedPredictionWriter> PrepareAsync(SqlSession session, CancellationToken cancellationToken) =>
        Task.FromResult<PreparedPredictionWriter>(new PreparedCopy(this, session.Connection));

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is T present ? import.WriteAsync(present, type, cancellationToken) : import.WriteNullAsync(cancellationToken);

    /// <summary>COPY needs nothing prepared: each batch is one COPY on the kept connection, in the batch's transaction.</summary>
    private sealed class PreparedCopy(CopyPredictionWriter writer, DbConnection connection) : PreparedPredictionWriter
    {
        public override Task WriteAsync(DbTransaction transaction, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken) =>
            writer.WriteAsync(new SqlSession(connection, transaction), batch, cancellationToken);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A <see cref="PredictionWriter"/> bound to one connection, for batch after batch: each call writes one batch in the given transaction.</summary>
internal abstract class PreparedPredictionWriter : IAsyncDisposable
{
    public abstract Task WriteAsync(DbTransaction transaction, IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
