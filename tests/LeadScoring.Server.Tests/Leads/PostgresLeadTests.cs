using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Leads;

/// <summary>Lead history and replay with the registry, the log and the outcomes in one PostgreSQL database.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresLeadTests(PostgresTestCluster cluster)
{
    private static readonly TestPackages Packages = new();

    [Fact]
    public async Task A_lead_scored_under_two_versions_shows_its_history_and_replays_on_postgres()
    {
        var database = await cluster.CreateDatabaseAsync("leads");
        try
        {
            await using var service = await RunningService.StartAsync(postgres: database);
            await service.DeployAsync(Packages.First);
            var first = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm/1042"));
            await service.DeployAsync(Packages.Second);
            var second = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm/1042"));
            await service.Services.GetRequiredService<OutcomeStore>().RecordAsync([new OutcomeRecord("crm/1042", true, 50, first.ScoredAt)], "api:crm");

            using var history = await service.Admin.GetAsync(new Uri("/leads/crm%2F1042", UriKind.Relative));
            var body = JsonDocument.Parse(await history.Content.ReadAsStringAsync()).RootElement;
            var (status, replay, _) = await Json.PostAsync(service.Admin, "/leads/crm%2F1042/replay", "");

            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
            Assert.Equal([first.Score, second.Score], body.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("score").GetDouble()));
            Assert.Equal(first.ScoredAt, body.GetProperty("scores")[0].GetProperty("scored_at").GetDateTimeOffset());
            Assert.Equal(50, Assert.Single(body.GetProperty("outcomes").EnumerateArray()).GetProperty("revenue").GetDouble());
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(2, replay.GetProperty("matched").GetInt32());
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }
}
