using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>A canary whose challenger fails or runs slow is rolled back by the supervisor alone, without a client noticing.</summary>
[Collection(ServerCollection.Name)]
public sealed class CanaryRollbackTests(TestPackages packages)
{
    [Fact]
    public async Task A_canary_whose_challenger_throws_is_rolled_back_at_the_next_evaluation_and_no_request_fails()
    {
        await using var service = await DeploymentService.StartAsync(packages, faults: l => l.Faults[2] = _ => new ThrowingScorer());
        var id = await StartCanaryAsync(service);

        var during = await service.ScoreAsync(2000);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);

        var status = await service.GetAsync(id);
        var rolledBack = AssertRolledBack(status, "error_rate");
        Assert.StartsWith("Challenger error rate 100 %", status.GetProperty("deployment").GetProperty("reason").GetString());
        var challenger = rolledBack.GetProperty("figures").GetProperty("challenger");
        Assert.InRange(challenger.GetProperty("requests").GetInt64(), 100, 400);
        Assert.Equal(challenger.GetProperty("requests").GetInt64(), challenger.GetProperty("errors").GetInt64());
        Assert.All(during, a => Assert.Equal(1, a.GetProperty("model").GetProperty("version").GetInt32()));
        await AssertBackOnTheChampionAsync(service, id);
    }

    [Fact]
    public async Task A_canary_whose_challenger_is_slow_is_rolled_back_on_its_p95()
    {
        // The scorers spend their time on the host's (fake) clock, the one the service measures latency with: the
        // champion 1 ms a lead, the challenger 5 ms, so the challenger's P95 is about 5 × the champion's.
        var clock = new FakeTimeProvider(DeploymentService.Start);
        await using var service = await DeploymentService.StartAsync(packages, clock: clock, faults: l =>
        {
            l.Faults[1] = inner => new ClockSpendingScorer(inner, clock, TimeSpan.FromMilliseconds(1));
            l.Faults[2] = inner => new ClockSpendingScorer(inner, clock, TimeSpan.FromMilliseconds(5));
        });
        var id = await StartCanaryAsync(service);

        await service.ScoreAsync(2000);
        await DeploymentService.AdvanceAsync(clock, TimeSpan.FromMinutes(1), service);

        var status = await service.GetAsync(id);
        var rolledBack = AssertRolledBack(status, "latency_p95");
        var figures = rolledBack.GetProperty("figures");
        Assert.InRange(figures.GetProperty("champion").GetProperty("latency_p95_ms").GetDouble(), 0.8, 1.3);
        Assert.InRange(figures.GetProperty("challenger").GetProperty("latency_p95_ms").GetDouble(), 4, 6.5);
        Assert.Equal(0, figures.GetProperty("challenger").GetProperty("errors").GetInt64());
        await AssertBackOnTheChampionAsync(service, id);
    }

    [Fact]
    public async Task An_ab_test_whose_challenger_converts_far_worse_is_rolled_back_once_outcomes_arrive()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var id = (await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "ab", challenger_version = 2, share = 0.5 })).GetProperty("id").GetInt64();
        var answers = await service.ScoreAsync(400);
        // The outcomes come a day later, long after the leads left the guardrails' sliding window: conversions are
        // judged over the deployment's whole life. Until they come, nothing breaches.
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromDays(1), service);
        Assert.Equal("active", (await service.GetAsync(id)).GetProperty("deployment").GetProperty("state").GetString());

        // What the CRM reports: 60 % of the champion's leads converted, 10 % of the challenger's.
        var outcomes = answers.Select((a, i) =>
        {
            var challenger = a.GetProperty("arm").GetString() == "challenger";
            var converted = challenger ? i % 10 == 0 : i % 10 < 6;
            return $"{{\"lead_id\": \"{a.GetProperty("lead_id").GetString()}\", \"converted\": {(converted ? "true" : "false")}, \"occurred_at\": \"2026-12-01T09:00:00Z\"}}";
        });
        var (status, body, _) = await Json.PostAsync(service.Service.Admin, "/outcomes", "[" + string.Join(",", outcomes) + "]");
        Assert.True(status == System.Net.HttpStatusCode.OK, body.ToString());
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);

        var rolledBack = await service.GetAsync(id);
        var figures = AssertRolledBack(rolledBack, "conversion_drop").GetProperty("figures");
        Assert.Equal(answers.Count(a => a.GetProperty("arm").GetString() == "challenger"), figures.GetProperty("challenger").GetProperty("labelled_leads").GetInt64());
        Assert.Equal(answers.Count(a => a.GetProperty("arm").GetString() == "champion"), figures.GetProperty("champion").GetProperty("labelled_leads").GetInt64());
        await AssertBackOnTheChampionAsync(service, id);
    }

    private static async Task<long> StartCanaryAsync(DeploymentService service)
    {
        var started = await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2, reason = "try v2" });
        Assert.Equal("active", started.GetProperty("state").GetString());
        Assert.Equal(0.1, started.GetProperty("share").GetDouble());
        var id = started.GetProperty("id").GetInt64();
        Assert.Equal(id, service.Serving.Snapshot!.Deployment!.Id);
        return id;
    }

    private static JsonElement AssertRolledBack(JsonElement status, string rule)
    {
        Assert.Equal("rolled_back", status.GetProperty("deployment").GetProperty("state").GetString());
        var last = status.GetProperty("events").EnumerateArray().Last();
        Assert.Equal(("rolled_back", "supervisor"), (last.GetProperty("action").GetString(), last.GetProperty("actor").GetString()));
        Assert.Equal(rule, last.GetProperty("figures").GetProperty("rule").GetString());
        return last;
    }

    private static async Task AssertBackOnTheChampionAsync(DeploymentService service, long id)
    {
        Assert.Null(service.Serving.Snapshot!.Deployment);
        var after = await service.ScoreAsync(500, "after");
        Assert.All(after, a => Assert.Equal(("champion", 1), (a.GetProperty("arm").GetString(), a.GetProperty("model").GetProperty("version").GetInt32())));

        var alert = Assert.Single(await service.Service.Services.GetRequiredService<DeploymentStore>().ListAlertsAsync(null));
        Assert.Equal((id, "critical", "deployment_rolled_back"), (alert.DeploymentId, alert.Level, alert.Kind));
        Assert.NotNull(alert.FiguresJson);
    }
}

/// <summary>A scorer that spends <paramref name="cost"/> of the host's fake clock per lead: slow, as the service measures it.</summary>
internal sealed class ClockSpendingScorer(IModelScorer inner, FakeTimeProvider clock, TimeSpan cost) : IModelScorer
{
    public double Score(LeadFeatures lead)
    {
        clock.Advance(cost);
        return inner.Score(lead);
    }
}
