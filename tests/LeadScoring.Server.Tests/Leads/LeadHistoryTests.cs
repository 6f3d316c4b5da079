using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Leads;

[Collection(ServerCollection.Name)]
public sealed class LeadHistoryTests(TestPackages packages)
{
    [Fact]
    public async Task A_lead_shows_every_logged_score_oldest_first_and_its_outcome_history_with_the_current_one_marked()
    {
        await using var service = await RunningService.StartAsync();
        var v1 = await service.DeployAsync(packages.First);
        var first = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm-1042"));
        var v2 = await service.DeployAsync(packages.Second);
        var second = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm-1042", "total_visits", "9"));
        await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("someone-else"));
        var outcomes = service.Services.GetRequiredService<OutcomeStore>();
        var occurred = new DateTimeOffset(2026, 11, 3, 9, 30, 0, TimeSpan.Zero);
        await outcomes.RecordAsync([new OutcomeRecord("crm-1042", false, null, occurred)], "api:crm");
        await outcomes.RecordAsync([new OutcomeRecord("crm-1042", true, 1200, occurred.AddDays(2))], "import:crm.csv");

        var (status, body) = await GetAsync(service.Admin, "/leads/crm-1042");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("crm-1042", body.GetProperty("lead_id").GetString());
        var scores = body.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(2, scores.Count);
        Assert.Equal([first.RequestId, second.RequestId], scores.Select(s => s.GetProperty("request_id").GetString()));
        Assert.Equal([v1, v2], scores.Select(s => s.GetProperty("model").GetProperty("version").GetInt32()));
        Assert.Equal([first.Score, second.Score], scores.Select(s => s.GetProperty("score").GetDouble()));
        Assert.Equal([first.Band, second.Band], scores.Select(s => s.GetProperty("band").GetString()));
        Assert.All(scores, s => Assert.Equal("champion", s.GetProperty("arm").GetString()));
        Assert.Equal([first.LatencyMicroseconds / 1000.0, second.LatencyMicroseconds / 1000.0], scores.Select(s => s.GetProperty("latency_ms").GetDouble()));
        Assert.All(scores, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("shadow_score").ValueKind));
        Assert.Equal(first.ScoredAt, scores[0].GetProperty("scored_at").GetDateTimeOffset());
        // The features are the logged JSON object itself, not a string holding it.
        var features = scores[1].GetProperty("features");
        Assert.Equal(JsonValueKind.Object, features.ValueKind);
        Assert.Equal(9, features.GetProperty("total_visits").GetDouble());
        Assert.Equal("referral", features.GetProperty("lead_source").GetString());
        Assert.Equal(JsonValueKind.Null, features.GetProperty("company_size").ValueKind);
        Assert.True(features.GetProperty("requested_demo").GetBoolean());

        var history = body.GetProperty("outcomes").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.False(history[0].GetProperty("converted").GetBoolean());
        Assert.False(history[0].GetProperty("current").GetBoolean());
        Assert.Equal("api:crm", history[0].GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("revenue").ValueKind);
        Assert.Equal(history[1].GetProperty("received_at").GetDateTimeOffset(), history[0].GetProperty("replaced_at").GetDateTimeOffset());
        Assert.True(history[1].GetProperty("converted").GetBoolean());
        Assert.True(history[1].GetProperty("current").GetBoolean());
        Assert.Equal(1200, history[1].GetProperty("revenue").GetDouble());
        Assert.Equal(occurred.AddDays(2), history[1].GetProperty("occurred_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("replaced_at").ValueKind);
    }

    [Theory]
    [InlineData("crm/1042")]
    [InlineData("lead 42 #7?x=1&y=%2F")]
    [InlineData("Müller+Söhne/ü")]
    public async Task A_lead_id_that_needs_escaping_is_found_by_its_escaped_path_segment(string leadId)
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        var logged = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead(leadId.Replace("\"", "\\\"", StringComparison.Ordinal)));
        await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm"));

        var (status, body) = await GetAsync(service.Admin, "/leads/" + Uri.EscapeDataString(leadId));
        var (replayStatus, replay, _) = await Json.PostAsync(service.Admin, $"/leads/{Uri.EscapeDataString(leadId)}/replay", "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(leadId, body.GetProperty("lead_id").GetString());
        Assert.Equal(logged.RequestId, Assert.Single(body.GetProperty("scores").EnumerateArray()).GetProperty("request_id").GetString());
        Assert.Equal(HttpStatusCode.OK, replayStatus);
        Assert.Equal(leadId, replay.GetProperty("lead_id").GetString());
        Assert.Equal(1, replay.GetProperty("matched").GetInt32());
    }

    [Fact]
    public async Task A_lead_with_only_an_outcome_is_shown_and_an_unknown_one_is_404()
    {
        await using var service = await RunningService.StartAsync();
        await service.Services.GetRequiredService<OutcomeStore>().RecordAsync(
            [new OutcomeRecord("from-another-channel", true, null, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero))], "api:crm");

        var (known, body) = await GetAsync(service.Admin, "/leads/from-another-channel");
        var (unknown, problem) = await GetAsync(service.Admin, "/leads/nobody");

        Assert.Equal(HttpStatusCode.OK, known);
        Assert.Empty(body.GetProperty("scores").EnumerateArray());
        Assert.True(Assert.Single(body.GetProperty("outcomes").EnumerateArray()).GetProperty("current").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("no score and no outcome is recorded for lead 'nobody'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_blank_or_overlong_lead_id_is_a_400_naming_it_and_the_route_needs_the_admin_key()
    {
        await using var service = await RunningService.StartAsync();

        var (blank, problem) = await GetAsync(service.Admin, "/leads/%20%20");
        var (overlong, _) = await GetAsync(service.Admin, "/leads/" + new string('x', 201));
        var (anonymous, _) = await GetAsync(service.Client, "/leads/crm-1");

        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Equal(["must be 1 to 200 characters, not blank"], Json.Errors(problem, "lead_id"));
        Assert.Equal(HttpStatusCode.BadRequest, overlong);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
