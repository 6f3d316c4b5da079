using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>A canary walks its steps on the fake clock (days in seconds) and ends with the challenger in Production.</summary>
[Collection(ServerCollection.Name)]
public sealed class CanaryPromotionTests(TestPackages packages)
{
    private static readonly object[] Steps =
    [
        new { share = 0.1, duration = "1.00:00:00" },
        new { share = 0.5, duration = "2.00:00:00" },
        new { share = 1.0, duration = (string?)null },
    ];

    [Fact]
    public async Task A_canary_goes_10_50_100_percent_and_an_approval_puts_the_challenger_in_production()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var id = (await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2, steps = Steps })).GetProperty("id").GetInt64();

        await WalkStepsAsync(service, id);
        var last = (await service.GetAsync(id)).GetProperty("deployment");
        Assert.Equal((2, 1.0, "active"), (last.GetProperty("step").GetInt32(), last.GetProperty("share").GetDouble(), last.GetProperty("state").GetString()));
        var answers = await service.ScoreAsync(200);
        Assert.All(answers, a => Assert.Equal(("challenger", 2), (a.GetProperty("arm").GetString(), a.GetProperty("model").GetProperty("version").GetInt32())));

        var approved = await service.PostAsync($"/deployments/{id}/approve", new { reason = "v2 held at 100 %" }, System.Net.HttpStatusCode.OK);
        Assert.Equal("completed", approved.GetProperty("state").GetString());

        await AssertPromotedAsync(service, id, "api:alice");
    }

    [Fact]
    public async Task An_auto_promoting_canary_is_approved_by_the_supervisor_at_its_last_step()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var id = (await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2, steps = Steps, auto_promote = true }))
            .GetProperty("id").GetInt64();

        // The two-day step ends in a long jump of the clock: the supervisor catches up with one more interval at
        // once, so the promotion may come with it or at the next interval.
        await WalkStepsAsync(service, id);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);

        await AssertPromotedAsync(service, id, "supervisor");
    }

    // Step 1 holds for a day, step 2 for two: each due step advances at the evaluation after it ran its time.
    private static async Task WalkStepsAsync(DeploymentService service, long id)
    {
        var answers = await service.ScoreAsync(1000);
        Assert.InRange(answers.Count(a => a.GetProperty("arm").GetString() == "challenger"), 60, 140);

        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromHours(23), service);
        Assert.Equal(0, (await service.GetAsync(id)).GetProperty("deployment").GetProperty("step").GetInt32());

        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromHours(1), service);
        var second = (await service.GetAsync(id)).GetProperty("deployment");
        Assert.Equal((1, 0.5), (second.GetProperty("step").GetInt32(), second.GetProperty("share").GetDouble()));
        Assert.Equal(0.5, service.Serving.Snapshot!.Deployment!.Share);
        answers = await service.ScoreAsync(1000);
        Assert.InRange(answers.Count(a => a.GetProperty("arm").GetString() == "challenger"), 430, 570);

        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromDays(2), service);
    }

    private static async Task AssertPromotedAsync(DeploymentService service, long id, string approver)
    {
        var status = await service.GetAsync(id);
        Assert.Equal("completed", status.GetProperty("deployment").GetProperty("state").GetString());
        var events = status.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["started", "step_advanced", "step_advanced", "approved", "completed"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events.Where(e => e.GetProperty("action").GetString() == "step_advanced"), e =>
        {
            Assert.Equal("supervisor", e.GetProperty("actor").GetString());
            Assert.Equal(JsonValueKind.Object, e.GetProperty("figures").GetProperty("champion").ValueKind);
        });
        Assert.Equal(approver, events[3].GetProperty("actor").GetString());

        var registry = service.Service.Registry;
        Assert.Equal(2, (await registry.GetProductionAsync(RunningService.ModelName))!.Version);
        Assert.Equal(ModelStage.Archived, (await registry.GetVersionAsync(RunningService.ModelName, 1))!.Stage);
        Assert.Contains("champion", (await registry.GetVersionAsync(RunningService.ModelName, 2))!.Aliases);

        await service.Service.WaitUntilServingAsync(2);
        Assert.Null(service.Serving.Snapshot!.Deployment);
        var answers = await service.ScoreAsync(100, "after");
        Assert.All(answers, a => Assert.Equal(("champion", 2), (a.GetProperty("arm").GetString(), a.GetProperty("model").GetProperty("version").GetInt32())));
    }
}
