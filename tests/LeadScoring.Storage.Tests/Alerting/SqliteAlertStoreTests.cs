using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Alerting;

/// <summary>The alert store contract on SQLite (a fresh temporary file per test), plus where the tables go.</summary>
public sealed class SqliteAlertStoreTests : AlertStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_the_alerts_in_the_registrys_leadscoring_db()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        var options = new StorageOptions { DataDirectory = folder };
        await using var store = AlertStoreFactory.Create(options, Time);

        await store.ApplyAsync(new AlertFindingBatch("ops:1", []));

        Assert.Equal(options.SqliteDatabasePath, Assert.IsType<SqliteDialect>(store.Database.Dialect).DatabasePath);
        await using var connection = new SqliteConnection($"Data Source={options.SqliteDatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT component || ':' || MAX(version) FROM schema_versions GROUP BY component ORDER BY component";
        Assert.Equal("alerts:1", await command.ExecuteScalarAsync());
    }
}
