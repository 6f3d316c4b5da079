using System.Net;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Tests.Support;
using static LeadScoring.Server.Tests.Alerting.AlertService;

namespace LeadScoring.Server.Tests.Alerting;

/// <summary>/alerts on PostgreSQL: list, detail, acknowledge and a silence over the shared database.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class AlertEndpointTestsOnPostgres(PostgresTestCluster cluster)
{
    [Fact]
    public async Task Alerts_are_listed_shown_acknowledged_and_silenced_on_PostgreSQL()
    {
        var database = await cluster.CreateDatabaseAsync("alerts_api");
        try
        {
            await using var service = await AlertService.StartAsync(database);
            var ids = await service.ApplyAsync(
                "monitoring_run:1",
                Finding("feature_drift", "lead-scoring/lead_source", AlertLevel.Critical, Start),
                Finding("feature_drift", "lead-scoring/country", AlertLevel.Warning, Start));

            var page = await service.GetAsync("/alerts?level=critical");
            var detail = await service.GetAsync($"/alerts/{ids[0]}");
            var (acked, alert) = await service.SendAsync(HttpMethod.Post, $"/alerts/{ids[0]}/ack", """{"by": "bob"}""");
            var (created, silence) = await service.SendAsync(HttpMethod.Post, "/alerts/silences", """{"subject": "lead-scoring/country", "duration": "1d", "by": "bob", "reason": "known"}""");
            var (ended, _) = await service.SendAsync(HttpMethod.Delete, $"/alerts/silences/{silence.GetProperty("id").GetInt64()}");

            Assert.Equal([ids[0]], Ids(page));
            Assert.Equal(["pagerduty", "slack"], detail.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("channel").GetString()));
            Assert.Equal(0.31, detail.GetProperty("alert").GetProperty("figures").GetProperty("psi").GetDouble());
            Assert.Equal(HttpStatusCode.OK, acked);
            Assert.Equal("bob", alert.GetProperty("acknowledged_by").GetString());
            Assert.Equal(HttpStatusCode.Created, created);
            Assert.Equal(Start.AddDays(1), silence.GetProperty("ends_at").GetDateTimeOffset());
            Assert.Equal(HttpStatusCode.OK, ended);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }
}
