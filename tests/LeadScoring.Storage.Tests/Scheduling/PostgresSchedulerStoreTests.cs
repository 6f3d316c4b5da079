using LeadScoring.Storage.Scheduling;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Scheduling;

/// <summary>The scheduler's schema on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresSchedulerStoreTests(PostgresTestCluster cluster) : SchedulerStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_puts_the_scheduler_in_the_shared_database_and_connects_with_its_connection_string()
    {
        var connectionString = ((PostgresTestDatabase)Database).ConnectionString;
        await using var store = SchedulerStoreFactory.Create(new StorageOptions { PostgresConnectionString = connectionString }, Time);

        await store.EnsureSchemaAsync();

        Assert.True(store.UsesPostgres);
        Assert.IsType<PostgresDialect>(store.Database.Dialect);
        Assert.Equal(connectionString, store.ConnectionString);
        Assert.Equal(1, await store.GetSchemaVersionAsync());
    }
}
