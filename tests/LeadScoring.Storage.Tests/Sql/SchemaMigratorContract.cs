using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Sql;

/// <summary>What the schema migrator guarantees every component, on both databases.</summary>
public abstract class SchemaMigratorContract : StoreContract<BareDatabase>
{
    private SqlDatabase Db => Store.Database;

    private protected override BareDatabase OpenStore(SqlDatabase database) => new(database);

    private SqlDatabase OpenDatabase() => Open().Database;

    /// <summary>A test component: a table, a row written by a C# step, then a column.</summary>
    private static List<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(types.Fill("CREATE TABLE widgets (id {AutoId}, name TEXT NOT NULL UNIQUE)")),
        // Not idempotent on purpose: applied twice, the unique name fails.
        MigrationStep.Code((session, ct) => session.ExecuteAsync("INSERT INTO widgets (name) VALUES ('first')", [], ct)),
        MigrationStep.Sql("ALTER TABLE widgets ADD COLUMN colour TEXT NULL"),
    ];

    private static Task<long?> CountAsync(SqlDatabase database, string sql) =>
        database.ReadAsync((session, ct) => session.ScalarInt64Async(sql, [], ct), CancellationToken.None);

    [Fact]
    public async Task Components_keep_their_own_versions_in_one_database()
    {
        using var widgets = new SchemaMigrator(Db, "widgets", Steps(Db.Dialect.Types));
        await using var registry = new ModelRegistry(OpenDatabase());

        await widgets.EnsureMigratedAsync(CancellationToken.None);
        await registry.InitializeAsync();

        Assert.Equal(3, await widgets.GetVersionAsync(CancellationToken.None));
        Assert.Equal(2, await registry.GetSchemaVersionAsync());
        Assert.Equal(5, await CountAsync(Db, "SELECT COUNT(*) FROM schema_versions"));
        Assert.Equal(1, await CountAsync(Db, "SELECT COUNT(*) FROM widgets WHERE colour IS NULL"));
    }

    [Fact]
    public async Task Concurrent_starters_apply_each_step_once()
    {
        var migrators = Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(OpenDatabase(), "widgets", Steps(Db.Dialect.Types))).ToList();
        try
        {
            await Task.WhenAll(migrators.Select(m => Task.Run(() => m.EnsureMigratedAsync(CancellationToken.None))));

            Assert.Equal(1, await CountAsync(Db, "SELECT COUNT(*) FROM widgets"));
            Assert.Equal(3, await CountAsync(Db, "SELECT COUNT(*) FROM schema_versions WHERE component = 'widgets'"));
        }
        finally
        {
            migrators.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public async Task A_failing_step_rolls_back_every_step_of_its_run_and_a_later_build_resumes()
    {
        List<MigrationStep> failing = [.. Steps(Db.Dialect.Types).Take(2), MigrationStep.Sql("ALTER TABLE no_such_table ADD COLUMN x TEXT")];
        using (var broken = new SchemaMigrator(Db, "widgets", failing))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => broken.EnsureMigratedAsync(CancellationToken.None));
        }

        using var first = new SchemaMigrator(Db, "widgets", [.. Steps(Db.Dialect.Types).Take(1)]);
        await first.EnsureMigratedAsync(CancellationToken.None);
        Assert.Equal(1, await first.GetVersionAsync(CancellationToken.None));
        Assert.Equal(0, await CountAsync(Db, "SELECT COUNT(*) FROM widgets"));

        using var all = new SchemaMigrator(OpenDatabase(), "widgets", Steps(Db.Dialect.Types));
        await all.EnsureMigratedAsync(CancellationToken.None);
        Assert.Equal(3, await all.GetVersionAsync(CancellationToken.None));
        Assert.Equal(1, await CountAsync(Db, "SELECT COUNT(*) FROM widgets"));
    }
}

/// <summary>A database with no store on it: the migrator's tests bring their own components.</summary>
public sealed class BareDatabase : IAsyncDisposable
{
    internal BareDatabase(SqlDatabase database) => Database = database;

    internal SqlDatabase Database { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

public sealed class SqliteSchemaMigratorTests : SchemaMigratorContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public void Another_component_gets_its_own_SQLite_file_in_the_data_directory()
    {
        var options = new StorageOptions { DataDirectory = "data" };

        var dialect = Assert.IsType<SqliteDialect>(ModelRegistryFactory.CreateDialect(options, "predictions.db"));

        Assert.Equal(Path.GetFullPath(Path.Combine("data", "predictions.db")), dialect.DatabasePath);
    }
}

[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresSchemaMigratorTests(PostgresTestCluster cluster) : SchemaMigratorContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public void Each_component_has_its_own_advisory_lock_key()
    {
        Assert.NotEqual(PostgresDialect.MigrationLockKey("registry"), PostgresDialect.MigrationLockKey("predictions"));
        Assert.Equal(PostgresDialect.MigrationLockKey("registry"), PostgresDialect.MigrationLockKey("registry"));
    }
}
