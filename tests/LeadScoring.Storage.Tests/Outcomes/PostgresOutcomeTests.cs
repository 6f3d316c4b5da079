using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Outcomes;

/// <summary>The outcomes contract on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresOutcomeTests(PostgresTestCluster cluster) : OutcomeContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_picks_PostgreSQL_when_a_connection_string_is_set()
    {
        var options = new StorageOptions { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString };
        await using var store = OutcomeStoreFactory.Create(options, Time);

        await store.RecordAsync([new OutcomeRecord("crm-1", false, null, Start)], "api:crm");

        Assert.IsType<PostgresDialect>(store.Database.Dialect);
        Assert.Equal(1, (await Store.GetSummaryAsync()).Received);
    }
}
