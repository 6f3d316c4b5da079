using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Outcomes;

/// <summary>The outcomes contract on SQLite (a fresh temporary file per test), plus where the file goes.</summary>
public sealed class SqliteOutcomeTests : OutcomeContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_outcomes_in_dataFolder_predictions_db()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        await using var store = OutcomeStoreFactory.Create(new StorageOptions { DataDirectory = folder }, Time);

        await store.RecordAsync([new OutcomeRecord("crm-1", false, null, Start)], "api:crm");

        var sqlite = Assert.IsType<SqliteDialect>(store.Database.Dialect);
        Assert.Equal(Path.Combine(folder, "predictions.db"), sqlite.DatabasePath);
        Assert.True(File.Exists(sqlite.DatabasePath));
        Assert.False(File.Exists(Path.Combine(folder, StorageOptions.SqliteFileName)));
    }
}
