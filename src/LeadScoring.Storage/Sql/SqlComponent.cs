namespace LeadScoring.Storage.Sql;

/// <summary>
/// One component's view of its database: every unit of work first makes sure the component's schema is current
/// (migrating once, on first use), and disposing releases the database and the migrator together. Each store (the
/// registry, the prediction log, outcomes …) holds one, so none repeats that plumbing.
/// </summary>
internal sealed class SqlComponent : IAsyncDisposable
{
    private readonly SchemaMigrator _migrator;

    /// <summary>Component <paramref name="component"/> with its numbered <paramref name="steps"/> on <paramref name="database"/>, which it owns.</summary>
    public SqlComponent(SqlDatabase database, string component, Func<SqlTypes, IReadOnlyList<MigrationStep>> steps)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(steps);
        Database = database;
        _migrator = new SchemaMigrator(database, component, steps(database.Dialect.Types));
    }

    public SqlDatabase Database { get; }

    public SqlDialect Dialect => Database.Dialect;

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestSchemaVersion => _migrator.LatestVersion;

    /// <summary>Creates or migrates the component's schema; idempotent, and safe when several processes start together.</summary>
    public Task EnsureMigratedAsync(CancellationToken cancellationToken) => _migrator.EnsureMigratedAsync(cancellationToken);

    /// <summary>The component's schema version in the database (0 before it is created).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await _migrator.GetVersionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="SqlDatabase.ReadAsync{T}"/> on the current schema.</summary>
    public async Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await Database.ReadAsync(work, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="SqlDatabase.WriteAsync{T}"/> on the current schema.</summary>
    public async Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, Func<System.Data.Common.DbException, Exception>? onUniqueViolation, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await Database.WriteAsync(work, onUniqueViolation, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Database.IsDisposed)
        {
            return;
        }

        await Database.DisposeAsync().ConfigureAwait(false);
        _migrator.Dispose();
    }
}
