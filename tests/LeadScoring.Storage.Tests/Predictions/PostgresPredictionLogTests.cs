using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Predictions;

/// <summary>The prediction log contract on PostgreSQL (a fresh database per test; its tables beside the registry's).</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresPredictionLogTests(PostgresTestCluster cluster) : PredictionLogContract
{
    protected override StorageOptions Options => new() { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString };

    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);
}
