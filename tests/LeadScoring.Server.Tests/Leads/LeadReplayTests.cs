using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Leads;

[Collection(ServerCollection.Name)]
public sealed class LeadReplayTests(TestPackages packages)
{
    [Fact]
    public async Task A_lead_scored_under_v1_then_v2_after_a_promotion_replays_to_the_same_two_scores()
    {
        await using var service = await RunningService.StartAsync();
        var v1 = await service.DeployAsync(packages.First);
        var first = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm-1042"));
        var v2 = await service.DeployAsync(packages.Second);
        var second = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("crm-1042"));

        var (status, body, _) = await Json.PostAsync(service.Admin, "/leads/crm-1042/replay", "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(first.Score, second.Score);
        Assert.Equal((2, 2, 0, 0), (Int(body, "predictions"), Int(body, "matched"), Int(body, "mismatched"), Int(body, "not_replayed")));
        var replays = body.GetProperty("replays").EnumerateArray().ToList();
        foreach (var (replay, logged, version) in new[] { (replays[0], first, v1), (replays[1], second, v2) })
        {
            Assert.Equal(version, replay.GetProperty("model").GetProperty("version").GetInt32());
            Assert.Equal(logged.RequestId, replay.GetProperty("request_id").GetString());
            Assert.Equal(logged.Score, replay.GetProperty("logged_score").GetDouble());
            Assert.Equal(logged.Score, replay.GetProperty("replayed_score").GetDouble());
            Assert.Equal(0, replay.GetProperty("difference").GetDouble());
            Assert.True(replay.GetProperty("match").GetBoolean());
            Assert.Equal(JsonValueKind.Null, replay.GetProperty("replay_error").ValueKind);
            // Would it get the same today? Today's Production is v2, so the v1 score is re-scored by v2.
            Assert.Equal(v2, replay.GetProperty("current_version").GetInt32());
            Assert.Equal(second.Score, replay.GetProperty("current_score").GetDouble());
            Assert.Equal(second.Band, replay.GetProperty("current_band").GetString());
        }
    }

    [Fact]
    public async Task A_version_the_registry_does_not_have_is_reported_in_its_entry_and_the_others_still_replay()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        var logged = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("lead-7"));
        await service.Services.GetRequiredService<PredictionLog>().AppendAsync([logged with { ModelVersion = 7, RequestId = "gone" }]);

        var (status, body, _) = await Json.PostAsync(service.Admin, "/leads/lead-7/replay", "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2, 1, 0, 1), (Int(body, "predictions"), Int(body, "matched"), Int(body, "mismatched"), Int(body, "not_replayed")));
        var gone = body.GetProperty("replays")[1];
        Assert.Equal(7, gone.GetProperty("model").GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("replayed_score").ValueKind);
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("match").ValueKind);
        Assert.Equal("lead-scoring v7 is not in the registry (deleted, or logged by another registry)", gone.GetProperty("replay_error").GetString());
        Assert.Equal(logged.Score, gone.GetProperty("current_score").GetDouble());
    }

    [Fact]
    public async Task A_production_version_with_other_features_says_why_it_cannot_score_the_lead_today()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        var logged = await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("lead-8"));
        var other = await service.RegisterAsync(packages.OtherSchema, "?allow_schema_change=true");
        await service.PromoteAsync(other);

        var (status, body, _) = await Json.PostAsync(service.Admin, "/leads/lead-8/replay", "");

        Assert.Equal(HttpStatusCode.OK, status);
        var replay = body.GetProperty("replays")[0];
        Assert.True(replay.GetProperty("match").GetBoolean());
        Assert.Equal(logged.Score, replay.GetProperty("replayed_score").GetDouble());
        Assert.Equal(other, replay.GetProperty("current_version").GetInt32());
        Assert.Equal(JsonValueKind.Null, replay.GetProperty("current_score").ValueKind);
        Assert.Contains("the model has no requested_demo", replay.GetProperty("current_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_a_lead_never_scored_is_404_and_replay_needs_the_admin_key()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        await LoggedScoring.ScoreAsync(service, Json.SimulatedLead("known"));

        var (missing, problem, type) = await Json.PostAsync(service.Admin, "/leads/unknown/replay", "");
        var (anonymous, _, _) = await Json.PostAsync(service.Client, "/leads/known/replay", "");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("lead 'unknown' was never scored (no logged prediction to replay)", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    private static int Int(JsonElement body, string name) => body.GetProperty(name).GetInt32();
}
