using LeadScoring.Storage.Scheduling;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Scheduling;

/// <summary>The scheduler's schema on SQLite, plus where the factory puts it and how the scheduler connects.</summary>
public sealed class SqliteSchedulerStoreTests : SchedulerStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_the_scheduler_in_its_own_file_dataFolder_scheduler_db_with_foreign_keys_on()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        await using var store = SchedulerStoreFactory.Create(new StorageOptions { DataDirectory = folder }, Time);

        await store.EnsureSchemaAsync();

        Assert.False(store.UsesPostgres);
        var sqlite = Assert.IsType<SqliteDialect>(store.Database.Dialect);
        Assert.Equal(Path.Combine(folder, "scheduler.db"), sqlite.DatabasePath);
        Assert.True(File.Exists(sqlite.DatabasePath));
        Assert.False(File.Exists(Path.Combine(folder, StorageOptions.SqliteFileName)));
        var connection = new SqliteConnectionStringBuilder(store.ConnectionString);
        Assert.Equal(sqlite.DatabasePath, connection.DataSource);
        Assert.True(connection.ForeignKeys);
    }
}
