using LeadScoring.Storage.Retraining;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>The retraining contract on SQLite (a fresh temporary file per test), plus where the tables go.</summary>
public sealed class SqliteRetrainingTests : RetrainingContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_the_runs_in_the_registrys_leadscoring_db_as_component_retraining()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        var options = new StorageOptions { DataDirectory = folder };
        await using var store = RetrainingStoreFactory.Create(options, Time);

        var run = await store.CreateAsync(new NewRetrainingRun("lead-scoring", RetrainingTrigger.Schedule, "weekly", "system:scheduler", null, "{}"));

        Assert.Equal(Start, run.CreatedAt);
        Assert.Equal(options.SqliteDatabasePath, Assert.IsType<SqliteDialect>(store.Database.Dialect).DatabasePath);
        await using var connection = new SqliteConnection($"Data Source={options.SqliteDatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT component || ':' || MAX(version) FROM schema_versions GROUP BY component ORDER BY component";
        await using var reader = await command.ExecuteReaderAsync();
        var components = new List<string>();
        while (await reader.ReadAsync())
        {
            components.Add(reader.GetString(0));
        }

        Assert.Equal(["retraining:1"], components);
    }
}
