using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The scope reader's contract on PostgreSQL (a fresh database per test).</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresMonitoringScopeTests(PostgresTestCluster cluster) : MonitoringScopeContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);
}
