using LeadScoring.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Scheduling;

/// <summary>
/// Where the scheduler (Quartz.NET's ADO job store) keeps its jobs, triggers and cluster state, and the migration
/// that creates those tables (<see cref="SchedulerSchema"/>, component 'scheduler'). Quartz opens its own
/// connections with <see cref="ConnectionString"/>; this only makes sure the schema is there first.
/// </summary>
public sealed class SchedulerStore : IAsyncDisposable
{
    private readonly SqlComponent _component;

    internal SchedulerStore(SqlDatabase database, string connectionString)
    {
        _component = new SqlComponent(database, SchedulerSchema.Component, SchedulerSchema.Steps);
        ConnectionString = connectionString;
    }

    /// <summary>True on PostgreSQL: the database every replica shares, so the scheduler runs clustered there.</summary>
    public bool UsesPostgres => _component.Dialect is PostgresDialect;

    /// <summary>The ADO.NET connection string the scheduler connects with (Npgsql or Microsoft.Data.Sqlite).</summary>
    public string ConnectionString { get; }

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestSchemaVersion => _component.LatestSchemaVersion;

    internal SqlDatabase Database => _component.Database;

    /// <summary>Creates or migrates the scheduler's tables; idempotent, and safe when several replicas start together.</summary>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => _component.EnsureMigratedAsync(cancellationToken);

    /// <summary>The schema version in the database (migrating first).</summary>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => _component.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _component.DisposeAsync();
}

/// <summary>Opens the scheduler's store: its own SQLite file beside the registry's, or its own tables in the shared PostgreSQL database.</summary>
public static class SchedulerStoreFactory
{
    /// <summary>
    /// The scheduler's SQLite file in <see cref="StorageOptions.DataDirectory"/>, beside the registry's rather than in
    /// it: SQLite has one write lock per file, and Quartz takes it for every acquisition and firing on connections
    /// of its own. Measured with an every-second schedule while another connection committed to the registry's file
    /// back to back for 6 s: sharing the file, the scheduler fired 0 and 1 times (starved by the busy handler);
    /// in its own file, 6 times out of 6, and the other writer never waited on it.
    /// </summary>
    public const string SqliteFileName = "scheduler.db";

    /// <summary>Nothing is opened until first use; the caller owns the result and disposes it.</summary>
    public static SchedulerStore Create(StorageOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SchedulerStore(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, SqliteFileName), timeProvider), ConnectionStringFor(options));
    }

    /// <summary>
    /// The connection string the scheduler connects with: PostgreSQL's as configured; for SQLite, the scheduler's
    /// file with foreign keys on (the schema's ON DELETE CASCADE needs them) and the stores' busy timeout.
    /// </summary>
    public static string ConnectionStringFor(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsesPostgres
            ? options.PostgresConnectionString!
            : new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(Path.Combine(options.DataDirectory, SqliteFileName)),
                Mode = SqliteOpenMode.ReadWriteCreate,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = (int)SqliteDialect.BusyTimeout.TotalSeconds,
            }.ToString();
    }
}
