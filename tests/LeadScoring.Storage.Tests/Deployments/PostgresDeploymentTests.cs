using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>The deployments contract on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresDeploymentTests(PostgresTestCluster cluster) : DeploymentContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_opens_the_registrys_database_and_approval_promotes_there()
    {
        var options = new StorageOptions { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString };
        await using var registry = ModelRegistryFactory.Create(options, Time);
        await using var store = DeploymentStoreFactory.Create(options, Time);
        await registry.RegisterAsync(new NewModelVersion("lead-scoring", [1], "{}", "alice"));
        await registry.RegisterAsync(new NewModelVersion("lead-scoring", [2], "{}", "alice"));
        await registry.TransitionAsync("lead-scoring", 1, ModelStage.Production, "alice", null);

        var ab = await store.StartAsync(new NewDeployment("lead-scoring", 1, 2, DeploymentMode.AB, 0.1, null, false, new string('a', 32)), "alice", null);
        await store.ApproveAsync(ab.Id, "carol", null);

        Assert.IsType<PostgresDialect>(store.Database.Dialect);
        Assert.Equal(2, (await registry.GetProductionAsync("lead-scoring"))!.Version);
    }
}

/// <summary>The store lease contract on PostgreSQL.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresStoreLeaseTests(PostgresTestCluster cluster) : StoreLeaseContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);
}
