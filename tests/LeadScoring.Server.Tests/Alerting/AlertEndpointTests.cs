using System.Net;
using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using static LeadScoring.Server.Tests.Alerting.AlertService;

namespace LeadScoring.Server.Tests.Alerting;

/// <summary>
/// /alerts over HTTP on the real service: listing with filters and paging, one alert with its figures, findings and
/// deliveries per channel, acknowledging (idempotent, 409 once resolved), and silences created, listed and ended.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class AlertEndpointTests
{
    private const string Drift = "feature_drift";

    [Fact]
    public async Task Alerts_list_newest_first_in_pages_and_filter_by_state_level_rule_model_and_time()
    {
        await using var service = await AlertService.StartAsync();
        var ids = await service.ApplyAsync(
            "monitoring_run:1",
            Finding(Drift, "lead-scoring/lead_source", AlertLevel.Critical, Start),
            Finding(Drift, "lead-scoring/country", AlertLevel.Warning, Start),
            Finding("score_drift", "lead-scoring/v1", AlertLevel.Info, Start),
            Finding("error_rate", "service/scoring", AlertLevel.Warning, Start, model: null));
        var (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
        await service.ApplyAsync("monitoring_run:2", Finding(Drift, "lead-scoring/country", AlertLevel.Warning, Start.AddHours(1), breached: false));

        var all = await service.GetAsync("/alerts");
        var first = await service.GetAsync("/alerts?page_size=3");
        var second = await service.GetAsync($"/alerts?page_size=3&before={first.GetProperty("next_before").GetInt64()}");

        Assert.Equal([d, c, b, a], Ids(all));
        Assert.Equal([d, c, b], Ids(first));
        Assert.Equal([a], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_before").ValueKind);
        Assert.Equal([b], Ids(await service.GetAsync("/alerts?state=resolved")));
        Assert.Equal([d, c, a], Ids(await service.GetAsync("/alerts?state=firing")));
        Assert.Equal([d, b], Ids(await service.GetAsync("/alerts?level=warning")));
        Assert.Equal([a], Ids(await service.GetAsync("/alerts?level=critical&state=firing")));
        Assert.Equal([b, a], Ids(await service.GetAsync($"/alerts?rule={Drift}")));
        Assert.Equal([c, b, a], Ids(await service.GetAsync("/alerts?model=lead-scoring")));
        Assert.Equal([b], Ids(await service.GetAsync("/alerts?from=2026-12-02T10:30:00Z")));
        Assert.Equal([d, c, a], Ids(await service.GetAsync("/alerts?to=2026-12-02T10:30:00Z")));
        Assert.Empty(Ids(await service.GetAsync("/alerts?rule=nope")));

        var critical = all.GetProperty("alerts")[3];
        Assert.Equal("firing", critical.GetProperty("state").GetString());
        Assert.Equal("critical", critical.GetProperty("level").GetString());
        Assert.Equal("lead-scoring/lead_source", critical.GetProperty("subject").GetString());
        Assert.Equal(0.31, critical.GetProperty("figures").GetProperty("psi").GetDouble());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("alerts")[0].GetProperty("model").ValueKind);
        Assert.Equal("resolved", all.GetProperty("alerts")[2].GetProperty("state").GetString());
        Assert.Equal(Start.AddHours(1), all.GetProperty("alerts")[2].GetProperty("resolved_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_alert_shows_its_figures_findings_and_what_each_channel_was_told_and_how_it_went()
    {
        await using var service = await AlertService.StartAsync();
        var id = (await service.ApplyAsync("monitoring_run:1", Finding(Drift, "lead-scoring/lead_source", AlertLevel.Critical, Start, psi: 0.42)))[0];
        service.Clock.Advance(TimeSpan.FromMinutes(1));
        var claimed = await service.Store.ClaimDueDeliveriesAsync("worker-1", service.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        var slack = claimed.Single(c => c.Channel == "slack");
        var pagerDuty = claimed.Single(c => c.Channel == "pagerduty");
        var at = service.Clock.GetUtcNow();
        Assert.True(await service.Store.RecordAttemptAsync(slack.Id, "worker-1", new DeliveryOutcome(true, at, 120, null, null)));
        Assert.True(await service.Store.RecordAttemptAsync(pagerDuty.Id, "worker-1", new DeliveryOutcome(false, at, 80, "HTTP 503 from events.pagerduty.com", at.AddMinutes(1))));
        service.Clock.Advance(TimeSpan.FromMinutes(2));
        var retried = Assert.Single(await service.Store.ClaimDueDeliveriesAsync("worker-1", service.Clock.GetUtcNow(), TimeSpan.FromMinutes(1)));
        Assert.True(await service.Store.RecordAttemptAsync(retried.Id, "worker-1", new DeliveryOutcome(false, service.Clock.GetUtcNow(), 90, "HTTP 503 from events.pagerduty.com", null)));

        var detail = await service.GetAsync($"/alerts/{id}");
        var (missing, problem) = await service.SendAsync(HttpMethod.Get, "/alerts/999");

        var alert = detail.GetProperty("alert");
        Assert.Equal(id, alert.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Object, alert.GetProperty("figures").ValueKind);
        Assert.Equal(0.42, alert.GetProperty("figures").GetProperty("psi").GetDouble());
        var finding = Assert.Single(detail.GetProperty("findings").EnumerateArray());
        Assert.Equal("open", finding.GetProperty("action").GetString());
        Assert.Equal("monitoring_run:1", finding.GetProperty("source").GetString());
        Assert.Equal(0.25, finding.GetProperty("figures").GetProperty("threshold").GetDouble());

        var deliveries = detail.GetProperty("deliveries").EnumerateArray().ToArray();
        Assert.Equal(["pagerduty", "slack"], deliveries.Select(x => x.GetProperty("channel").GetString()));
        Assert.All(deliveries, x => Assert.Equal("trigger", x.GetProperty("event").GetString()));
        Assert.Equal("failed", deliveries[0].GetProperty("state").GetString());
        Assert.Equal(2, deliveries[0].GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 503 from events.pagerduty.com", deliveries[0].GetProperty("last_error").GetString());
        Assert.Equal(JsonValueKind.Null, deliveries[0].GetProperty("sent_at").ValueKind);
        Assert.Equal("sent", deliveries[1].GetProperty("state").GetString());
        Assert.Equal(1, deliveries[1].GetProperty("attempts").GetInt32());
        Assert.Equal(at, deliveries[1].GetProperty("sent_at").GetDateTimeOffset());

        var attempts = detail.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.Equal(["pagerduty", "pagerduty"], attempts.Where(x => !x.GetProperty("succeeded").GetBoolean()).Select(x => x.GetProperty("channel").GetString()));
        Assert.Equal(120, attempts.Single(x => x.GetProperty("succeeded").GetBoolean()).GetProperty("duration_ms").GetDouble());

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledging_records_who_and_why_once_tells_pagerduty_and_is_refused_for_resolved_or_unknown_alerts()
    {
        await using var service = await AlertService.StartAsync();
        var ids = await service.ApplyAsync(
            "monitoring_run:1",
            Finding(Drift, "lead-scoring/lead_source", AlertLevel.Critical, Start),
            Finding(Drift, "lead-scoring/country", AlertLevel.Warning, Start));
        await service.ApplyAsync("monitoring_run:2", Finding(Drift, "lead-scoring/country", AlertLevel.Warning, Start.AddMinutes(5), breached: false));
        service.Clock.Advance(TimeSpan.FromMinutes(10));

        var (status, acked) = await service.SendAsync(HttpMethod.Post, $"/alerts/{ids[0]}/ack", """{"by": "bob", "note": "looking at the source mix"}""");
        service.Clock.Advance(TimeSpan.FromMinutes(1));
        var (again, second) = await service.SendAsync(HttpMethod.Post, $"/alerts/{ids[0]}/ack", """{"by": "bob"}""");
        var (resolved, conflict) = await service.SendAsync(HttpMethod.Post, $"/alerts/{ids[1]}/ack", """{"by": "bob"}""");
        var (unknown, _) = await service.SendAsync(HttpMethod.Post, "/alerts/999/ack", """{"by": "bob"}""");
        var detail = await service.GetAsync($"/alerts/{ids[0]}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bob", acked.GetProperty("acknowledged_by").GetString());
        Assert.Equal("looking at the source mix", acked.GetProperty("acknowledgement_note").GetString());
        Assert.Equal(Start.AddMinutes(10), acked.GetProperty("acknowledged_at").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(Start.AddMinutes(10), second.GetProperty("acknowledged_at").GetDateTimeOffset());
        Assert.Single(detail.GetProperty("deliveries").EnumerateArray(), x => x.GetProperty("event").GetString() == "acknowledge" && x.GetProperty("channel").GetString() == "pagerduty");
        Assert.Equal(HttpStatusCode.Conflict, resolved);
        Assert.Equal("Conflict", conflict.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task Silences_are_created_for_a_duration_or_until_a_time_listed_and_ended_and_silence_matching_alerts()
    {
        await using var service = await AlertService.StartAsync();

        var (created, silence) = await service.SendAsync(
            HttpMethod.Post, "/alerts/silences", """{"rule": "feature_drift", "subject": "lead-scoring/lead_source", "duration": "2h", "by": "bob", "reason": "source migration"}""");
        var (createdUntil, untilSilence) = await service.SendAsync(
            HttpMethod.Post, "/alerts/silences", """{"model": "other-model", "until": "2026-12-02T18:00:00Z", "by": "carol", "reason": "retraining"}""");
        var id = (await service.ApplyAsync("monitoring_run:1", Finding(Drift, "lead-scoring/lead_source", AlertLevel.Critical, Start.AddMinutes(5))))[0];
        var silenced = await service.GetAsync($"/alerts/{id}");
        var inForce = await service.GetAsync("/alerts/silences");
        service.Clock.Advance(TimeSpan.FromMinutes(30));
        var (ended, endedSilence) = await service.SendAsync(HttpMethod.Delete, $"/alerts/silences/{silence.GetProperty("id").GetInt64()}");
        var after = await service.GetAsync("/alerts/silences?all=false");
        var every = await service.GetAsync("/alerts/silences?all=true");
        var (unknown, _) = await service.SendAsync(HttpMethod.Delete, "/alerts/silences/999");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(Start, silence.GetProperty("starts_at").GetDateTimeOffset());
        Assert.Equal(Start.AddHours(2), silence.GetProperty("ends_at").GetDateTimeOffset());
        Assert.True(silence.GetProperty("active").GetBoolean());
        Assert.Equal("bob", silence.GetProperty("created_by").GetString());
        Assert.Equal(JsonValueKind.Null, silence.GetProperty("model").ValueKind);
        Assert.Equal(HttpStatusCode.Created, createdUntil);
        Assert.Equal(Start.AddHours(8), untilSilence.GetProperty("ends_at").GetDateTimeOffset());

        Assert.True(silenced.GetProperty("alert").GetProperty("silenced").GetBoolean());
        Assert.Empty(silenced.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("suppress", Assert.Single(silenced.GetProperty("findings").EnumerateArray()).GetProperty("action").GetString());
        Assert.Equal(2, inForce.GetProperty("silences").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.Equal(Start.AddMinutes(30), endedSilence.GetProperty("expired_at").GetDateTimeOffset());
        Assert.False(endedSilence.GetProperty("active").GetBoolean());
        Assert.Equal([untilSilence.GetProperty("id").GetInt64()], after.GetProperty("silences").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal(2, every.GetProperty("silences").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_alert_routes_and_their_bodies()
    {
        await using var service = await AlertService.StartAsync();

        var paths = JsonDocument.Parse(await service.Service.Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/alerts").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/alerts/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/alerts/silences").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/alerts/silences/{id}").TryGetProperty("delete", out _));
        var ack = paths.GetProperty("/alerts/{id}/ack").GetProperty("post");
        Assert.Equal("Alerts", ack.GetProperty("tags")[0].GetString());
        Assert.True(ack.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }
}
