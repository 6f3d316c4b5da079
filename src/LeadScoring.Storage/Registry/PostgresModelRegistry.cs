using System.Data;
using System.Data.Common;
using Npgsql;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The registry in a PostgreSQL database (tables in the connection's default schema). Write transactions are
/// READ COMMITTED and lock the model's row with <c>SELECT … FOR UPDATE</c>; migrations run under a transaction-level
/// advisory lock so several instances may start together.
/// </summary>
public sealed class PostgresModelRegistry : SqlModelRegistry
{
    /// <summary>The advisory lock key taken while migrating the registry's schema ("LSREGIST").</summary>
    public const long MigrationLockKey = 0x4C53_5245_4749_5354;

    private static readonly SqlTypes PostgresTypes = new("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", "TIMESTAMPTZ");

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>Connects with an Npgsql connection string; the registry owns (and disposes) its data source.</summary>
    public PostgresModelRegistry(string connectionString, TimeProvider? timeProvider = null)
        : this(CreateDataSource(connectionString), timeProvider, ownsDataSource: true)
    {
    }

    /// <summary>Uses <paramref name="dataSource"/>; disposes it with the registry only when <paramref name="ownsDataSource"/>.</summary>
    public PostgresModelRegistry(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null, bool ownsDataSource = false)
        : base(timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <inheritdoc />
    public override string Provider => "postgres";

    private protected override SqlTypes Types => PostgresTypes;

    private protected override string LockRowsClause => " FOR UPDATE";

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    private protected override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    private protected override async Task LockForMigrationAsync(SqlSession session, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT pg_advisory_xact_lock(@key)", [SqlArg.Long("@key", MigrationLockKey)], cancellationToken).ConfigureAwait(false);

    private protected override SqlArg TimeArg(string name, DateTimeOffset value) =>
        new(name, value.ToUniversalTime(), DbType.DateTimeOffset);

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    private protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private protected override async ValueTask ReleaseProviderResourcesAsync()
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
