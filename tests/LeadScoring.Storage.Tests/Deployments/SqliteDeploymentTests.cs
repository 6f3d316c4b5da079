using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>The deployments contract on SQLite (a fresh temporary file per test), plus where the tables go.</summary>
public sealed class SqliteDeploymentTests : DeploymentContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_deployments_and_the_lease_in_the_registrys_leadscoring_db()
    {
        var folder = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory");
        var options = new StorageOptions { DataDirectory = folder };
        await using var store = DeploymentStoreFactory.Create(options, Time);
        await using var lease = DeploymentStoreFactory.CreateLease(options, Time);

        await store.StartAsync(new NewDeployment("lead-scoring", 1, 2, DeploymentMode.AB, 0.1, null, false, new string('a', 32)), "alice", null);
        Assert.True(await lease.TryAcquireAsync("evaluator", "replica-a", TimeSpan.FromSeconds(30)));

        var sqlite = Assert.IsType<SqliteDialect>(store.Database.Dialect);
        Assert.Equal(options.SqliteDatabasePath, sqlite.DatabasePath);
        Assert.Equal(options.SqliteDatabasePath, Assert.IsType<SqliteDialect>(lease.Database.Dialect).DatabasePath);
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

        Assert.Equal(["deployments:1", "registry:2"], components);
    }
}

/// <summary>The store lease contract on SQLite.</summary>
public sealed class SqliteStoreLeaseTests : StoreLeaseContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();
}
