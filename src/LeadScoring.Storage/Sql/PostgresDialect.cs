using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LeadScoring.Storage.Sql;

/// <summary>
/// A PostgreSQL database (tables in the connection's default schema). Write transactions are READ COMMITTED and lock
/// rows with <c>SELECT … FOR UPDATE</c>; reads are REPEATABLE READ (one snapshot); migrations run under a
/// transaction-level advisory lock per component so several instances may start together.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    private static readonly SqlTypes PostgresTypes = new("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", "TIMESTAMPTZ", "DOUBLE PRECISION");

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>Connects with an Npgsql connection string; the dialect owns (and disposes) its data source.</summary>
    public PostgresDialect(string connectionString)
        : this(CreateDataSource(connectionString), ownsDataSource: true)
    {
    }

    /// <summary>Uses <paramref name="dataSource"/>; disposes it only when <paramref name="ownsDataSource"/>.</summary>
    public PostgresDialect(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"the PostgreSQL database {builder.Database ?? builder.Username} on {builder.Host}:{builder.Port}";
    }

    public override string Provider => "postgres";

    public override string Description { get; }

    public override SqlTypes Types => PostgresTypes;

    public override string LockRowsClause => " FOR UPDATE";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public override async Task LockForMigrationAsync(SqlSession session, string lockName, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT pg_advisory_xact_lock(@key)", [SqlArg.Long("@key", MigrationLockKey(lockName))], cancellationToken).ConfigureAwait(false);

    /// <summary>The advisory lock key for a lock name: the first 8 bytes of SHA-256("leadscoring:" + name).</summary>
    public static long MigrationLockKey(string lockName) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("leadscoring:" + lockName)), 0);

    public override SqlArg TimeArg(string name, DateTimeOffset value) =>
        new(name, value.ToUniversalTime(), DbType.DateTimeOffset);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override StoreFault? Classify(Exception exception) => ClassifyFault(exception);

    /// <summary>
    /// Disk full (53100), read-only transaction (25006), data corruption (XX001, XX002), the server refusing or
    /// dropping connections (class 08, 57P01–57P03), and Npgsql failures without a server error (socket errors,
    /// timeouts: the server was never reached).
    /// </summary>
    public static StoreFault? ClassifyFault(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => StoreFault.Full,
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => StoreFault.ReadOnly,
        PostgresException { SqlState: PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted } => StoreFault.Corrupt,
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow } => StoreFault.Unreachable,
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) => StoreFault.Unreachable,
        PostgresException => null,
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException or null } => StoreFault.Unreachable,
        _ => null,
    };

    /// <summary>Connects and asks whether this session could write (a read-only database or a standby cannot).</summary>
    public override async Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var rows = await new SqlSession(connection, null).QueryAsync(
                    "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()",
                    [],
                    r => (ReadOnly: r.GetString(0), InRecovery: r.GetBoolean(1)),
                    cancellationToken).ConfigureAwait(false);
                var (readOnly, inRecovery) = rows[0];
                if (readOnly == "on" || inRecovery)
                {
                    var why = inRecovery ? "the server is a standby in recovery" : "transactions are read-only (default_transaction_read_only)";
                    return new StoreWriteCheck(StoreFault.ReadOnly, $"{Description} {StoreFaults.Cause(StoreFault.ReadOnly)} ({why})");
                }
            }

            return StoreWriteCheck.Writable;
        }
        catch (Exception e) when (Classify(e) is StoreFault fault)
        {
            return new StoreWriteCheck(fault, $"{Description} {StoreFaults.Cause(fault)} ({e.Message})");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }
}
