using LeadScoring.Storage.Retraining;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>The retraining contract on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresRetrainingTests(PostgresTestCluster cluster) : RetrainingContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_opens_the_shared_database_and_its_store_sees_the_same_runs()
    {
        var options = new StorageOptions { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString };
        await using var store = RetrainingStoreFactory.Create(options, Time);

        var run = await store.CreateAsync(new NewRetrainingRun("lead-scoring", RetrainingTrigger.Schedule, "weekly", "system:scheduler", null, "{}"));

        Assert.IsType<PostgresDialect>(store.Database.Dialect);
        Assert.Equal(run, await Store.GetAsync(run.Id));
    }
}
