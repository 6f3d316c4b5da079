using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Feedback;

/// <summary>The predictions ⋈ outcomes contract on SQLite, plus the factory reading the file the log and outcomes write.</summary>
public sealed class SqliteFeedbackTests : FeedbackContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_reads_predictions_db_where_the_log_and_the_outcomes_factories_write()
    {
        var options = new StorageOptions { DataDirectory = Path.Combine(((SqliteTestDatabase)Database).Directory, "factory") };
        await using var log = PredictionLogFactory.Create(options, null, Time);
        await using var outcomes = OutcomeStoreFactory.Create(options, Time);
        await using var reader = FeedbackReaderFactory.Create(options, Time);

        await log.AppendAsync([new PredictionRecord("req-1", "crm-1", Start.AddDays(-1), "lead-scoring", 1, ServingArms.Champion, 0.9, "hot", 100, "{}")]);
        await outcomes.RecordAsync([new OutcomeRecord("crm-1", true, 10, Start)], "api:crm");

        var sqlite = Assert.IsType<SqliteDialect>(reader.Database.Dialect);
        Assert.Equal(Path.Combine(options.DataDirectory, "predictions.db"), sqlite.DatabasePath);
        Assert.Equal(1, await reader.CountScoredAsync(["crm-1"]));
        Assert.Equal((1L, 1L, TimeSpan.FromDays(1)), (await reader.GetMatchSummaryAsync(Start)) is var s ? (s.Received, s.Matched, s.Delay.Median) : default);
        Assert.False(File.Exists(Path.Combine(options.DataDirectory, StorageOptions.SqliteFileName)));
    }
}
