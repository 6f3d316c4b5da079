using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The window reader's contract on PostgreSQL (a fresh database per test).</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresMonitoringWindowTests(PostgresTestCluster cluster) : MonitoringWindowContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);
}
