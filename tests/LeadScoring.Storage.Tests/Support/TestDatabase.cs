using LeadScoring.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Support;

/// <summary>
/// A fresh, empty database for one test on one provider. Every store's contract runs on both subclasses, so a
/// new store (prediction log, outcomes, …) gets its SQLite and PostgreSQL runs from two three-line classes.
/// </summary>
public abstract class TestDatabase
{
    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>Prepares the empty database.</summary>
    public abstract Task CreateAsync();

    /// <summary>Makes the database refuse writes from now on (new connections); reads keep working where the provider allows.</summary>
    public abstract Task MakeReadOnlyAsync();

    /// <summary>Removes the database; every store opened on it is already disposed.</summary>
    public abstract Task DeleteAsync();

    /// <summary>A new dialect instance over the database, as another process would open it.</summary>
    internal abstract SqlDialect OpenDialect();
}

/// <summary>A SQLite file in a fresh temporary folder (one level down, so the folder must be created).</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private TestMount? _readOnly;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "leadscoring-sqlite-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Directory, "nested", StorageOptions.SqliteFileName);

    public override string Provider => "sqlite";

    public override Task CreateAsync() => Task.CompletedTask;

    /// <summary>Bind-mounts the database's folder over itself and remounts it read-only (needs root, as in CI).</summary>
    public override async Task MakeReadOnlyAsync()
    {
        // A mount with files open for writing cannot become read-only: close the pooled connections first.
        SqliteConnection.ClearAllPools();
        _readOnly = await TestMount.BindAsync(Path.GetDirectoryName(DatabasePath)!);
        await _readOnly.RemountReadOnlyAsync();
    }

    public override async Task DeleteAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_readOnly is not null)
        {
            await _readOnly.DisposeAsync();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    internal override SqlDialect OpenDialect() => new SqliteDialect(DatabasePath);
}

/// <summary>A fresh database on the collection's PostgreSQL cluster.</summary>
public sealed class PostgresTestDatabase(PostgresTestCluster cluster) : TestDatabase
{
    public string ConnectionString { get; private set; } = "";

    public override string Provider => "postgres";

    public override async Task CreateAsync() => ConnectionString = await cluster.CreateDatabaseAsync("store");

    /// <summary>New sessions start read-only (<c>default_transaction_read_only</c>); pooled ones are dropped.</summary>
    public override async Task MakeReadOnlyAsync()
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await cluster.ExecuteAdminAsync($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public override Task DeleteAsync() => cluster.DropDatabaseAsync(ConnectionString);

    internal override SqlDialect OpenDialect() => new PostgresDialect(ConnectionString);
}
