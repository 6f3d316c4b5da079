using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Alerting;

/// <summary>The alert store contract on PostgreSQL (a fresh database per test).</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresAlertStoreTests(PostgresTestCluster cluster) : AlertStoreContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);
}
