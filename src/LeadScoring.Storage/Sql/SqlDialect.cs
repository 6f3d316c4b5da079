using System.Data.Common;

namespace LeadScoring.Storage.Sql;

/// <summary>The column types that differ between the providers; everything else in a schema is shared.</summary>
/// <param name="AutoId">An auto-numbered 64-bit primary key column (never reusing numbers).</param>
/// <param name="Blob">A byte array column.</param>
/// <param name="Time">A UTC timestamp column.</param>
/// <param name="Double">A 64-bit floating point column.</param>
internal sealed record SqlTypes(string AutoId, string Blob, string Time, string Double)
{
    /// <summary>Fills the <c>{AutoId}</c>, <c>{Blob}</c>, <c>{Time}</c> and <c>{Double}</c> placeholders of a statement.</summary>
    public string Fill(string sql) => sql
        .Replace("{AutoId}", AutoId, StringComparison.Ordinal)
        .Replace("{Blob}", Blob, StringComparison.Ordinal)
        .Replace("{Time}", Time, StringComparison.Ordinal)
        .Replace("{Double}", Double, StringComparison.Ordinal);
}

/// <summary>
/// Everything that differs between SQLite and PostgreSQL, for one database: how to open a connection and begin
/// transactions, how times are stored, how to lock, which errors mean what. Stores never look at the provider;
/// they ask their dialect. The dialect owns the provider's pooled resources and releases them when disposed.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>Names the database in messages: "the SQLite database data/leadscoring.db".</summary>
    public abstract string Description { get; }

    /// <summary>Column types for schemas.</summary>
    public abstract SqlTypes Types { get; }

    /// <summary>Appended to a SELECT that locks the rows it reads for the rest of a write transaction.</summary>
    public abstract string LockRowsClause { get; }

    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that holds the write lock it needs from its first statement on (no lock upgrades).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction that sees one consistent snapshot across several reads.</summary>
    public abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs once before migrating, outside any transaction (e.g. SQLite's journal mode).</summary>
    public virtual Task PrepareDatabaseAsync(SqlSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Inside a migration's write transaction: a lock held until commit, so concurrent starters migrate
    /// <paramref name="lockName"/> one after the other.
    /// </summary>
    public virtual Task LockForMigrationAsync(SqlSession session, string lockName, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Copies committed pages from a write-ahead log into the database file beside the writers, for a database that
    /// has such a log under its own control (SQLite); false (nothing done) for any other.
    /// </summary>
    public virtual Task<bool> CheckpointAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public abstract SqlArg TimeArg(string name, DateTimeOffset value);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>The store fault behind an exception thrown while using this database, or null when it is not one.</summary>
    public abstract StoreFault? Classify(Exception exception);

    /// <summary>Whether the store can be written now (readiness); never throws for a fault, only for cancellation.</summary>
    public abstract Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken);

    /// <summary>Releases the provider's resources (connection pools, data sources).</summary>
    public abstract ValueTask DisposeAsync();
}
