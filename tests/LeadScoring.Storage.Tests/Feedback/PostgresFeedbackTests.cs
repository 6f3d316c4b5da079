using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Feedback;

/// <summary>The predictions ⋈ outcomes contract on PostgreSQL (a fresh database per test), plus the factory's choice.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresFeedbackTests(PostgresTestCluster cluster) : FeedbackContract
{
    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task The_factory_reads_the_shared_database_the_log_and_the_outcomes_factories_write()
    {
        var options = new StorageOptions { PostgresConnectionString = ((PostgresTestDatabase)Database).ConnectionString };
        await using var log = PredictionLogFactory.Create(options, null, Time);
        await using var outcomes = OutcomeStoreFactory.Create(options, Time);
        await using var reader = FeedbackReaderFactory.Create(options, Time);

        await log.AppendAsync([new PredictionRecord("req-1", "crm-1", Start.AddDays(-1), "lead-scoring", 1, ServingArms.Champion, 0.9, "hot", 100, "{}")]);
        await outcomes.RecordAsync([new OutcomeRecord("crm-1", true, 10, Start)], "api:crm");

        Assert.IsType<PostgresDialect>(reader.Database.Dialect);
        Assert.Equal(1, await reader.CountScoredAsync(["crm-1"]));
        Assert.Equal((1L, 1L, TimeSpan.FromDays(1)), (await reader.GetMatchSummaryAsync(Start)) is var s ? (s.Received, s.Matched, s.Delay.Median) : default);
    }
}
