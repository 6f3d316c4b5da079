using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The monitoring store's contract on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresMonitoringStoreTests(PostgresTestCluster cluster) : MonitoringStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_picks_PostgreSQL_when_a_connection_string_is_set()
    {
        await using var store = MonitoringStoreFactory.Create(new StorageOptions { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString }, Time);

        await store.InitializeAsync();

        Assert.IsType<PostgresDialect>(store.Database.Dialect);
    }
}
