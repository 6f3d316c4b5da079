using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The monitoring store's contract on SQLite, plus where the factory puts it.</summary>
public sealed class SqliteMonitoringStoreTests : MonitoringStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_runs_in_dataFolder_predictions_db()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        await using var store = MonitoringStoreFactory.Create(new StorageOptions { DataDirectory = folder }, Time);

        await store.InitializeAsync();

        var sqlite = Assert.IsType<SqliteDialect>(store.Database.Dialect);
        Assert.Equal(Path.Combine(folder, "predictions.db"), sqlite.DatabasePath);
        Assert.True(File.Exists(sqlite.DatabasePath));
    }
}
