using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>The outcome routes on PostgreSQL: record, resend, replace, and the summary over the shared database.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresOutcomeApiTests(PostgresTestCluster cluster)
{
    [Fact]
    public async Task Outcomes_are_recorded_idempotently_replaced_and_summarised_on_PostgreSQL()
    {
        var database = await cluster.CreateDatabaseAsync("outcomes_api");
        try
        {
            await using var service = await OutcomeService.StartAsync(postgres: database);
            var now = OutcomeService.Now;
            await service.SeedScoresAsync(("a", now.AddDays(-2)), ("b", now.AddDays(-1)));
            var body = OutcomeService.Array(
                OutcomeService.Outcome("a", revenue: "100", occurredAt: "2026-02-27T18:00:00Z"),
                OutcomeService.Outcome("b", converted: false, occurredAt: "2026-02-28T14:00:00Z"),
                OutcomeService.Outcome("unscored", revenue: "null"));

            var (first, firstBody, _) = await service.PostAsync(body);
            var (again, againBody, _) = await service.PostAsync(body);
            service.Clock.Advance(TimeSpan.FromHours(1));
            var (replace, replaceBody, _) = await service.PostAsync(OutcomeService.Outcome("b", revenue: "40", occurredAt: "2026-02-28T16:00:00Z"));
            var (status, summary) = await service.GetSummaryAsync();

            Assert.Equal(HttpStatusCode.OK, first);
            Assert.Equal("""{"received":3,"new":3,"replaced":0,"unchanged":0,"leads":3,"matched":2,"unmatched":1}""", firstBody.GetRawText());
            Assert.Equal(HttpStatusCode.OK, again);
            Assert.Equal("""{"received":3,"new":0,"replaced":0,"unchanged":3,"leads":3,"matched":2,"unmatched":1}""", againBody.GetRawText());
            Assert.Equal(HttpStatusCode.OK, replace);
            Assert.Equal(1, replaceBody.GetProperty("replaced").GetInt32());
            Assert.Equal(2, (await service.Store.GetHistoryAsync("b")).Count);
            Assert.Equal(HttpStatusCode.OK, status);
            // Delays 6 h (a) and 4 h (b's replacement): median 5 h, P90 4 h + 0.9 × 2 h = 5.8 h.
            Assert.Equal(
                """{"known_by":"2026-03-01T13:00:00+00:00","received":3,"matched":2,"unmatched":1,"converted":3,"conversion_rate":1,"total_revenue":140,"conversion_delay":{"leads":2,"median_seconds":18000,"p90_seconds":20880,"median":"5 h","p90":"5 h 48 min"}}""",
                summary.GetRawText());
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }
}
