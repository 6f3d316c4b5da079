using System.Net;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>How an instance follows the store's deployment, and writes its counters when it stops.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeploymentSyncTests(TestPackages packages)
{
    [Fact]
    public async Task Stopping_writes_the_last_counts_so_the_store_has_every_lead()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var id = (await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "ab", challenger_version = 2, share = 0.3 })).GetProperty("id").GetInt64();
        var answers = await service.ScoreAsync(700);

        // No evaluation interval passed: only the flush at shutdown writes these.
        await service.Service.StopAsync();

        var rows = await service.Service.Services.GetRequiredService<DeploymentStore>().ReadArmMinutesAsync(id, DeploymentService.Start.AddHours(-1), DeploymentService.Start.AddHours(1));
        Assert.Equal(700, rows.Sum(r => r.Requests));
        Assert.Equal(answers.Count(a => a.GetProperty("arm").GetString() == "challenger"), rows.Where(r => r.Arm == "challenger").Sum(r => r.Requests));
    }

    [Fact]
    public async Task A_deployment_planned_against_a_champion_no_longer_in_production_is_neither_served_nor_evaluated()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var id = (await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2 })).GetProperty("id").GetInt64();
        Assert.NotNull(service.Serving.Snapshot!.Deployment);

        // Someone promotes v2 by hand: the canary's champion (v1) is no longer what serves.
        await service.Service.PromoteAsync(2);
        await service.Service.WaitUntilServingAsync(2);
        Assert.Null(service.Serving.Snapshot!.Deployment);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromDays(2), service);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);

        var deployment = (await service.GetAsync(id)).GetProperty("deployment");
        Assert.Equal(("active", 0), (deployment.GetProperty("state").GetString(), deployment.GetProperty("step").GetInt32()));
        Assert.Single(service.Service.Logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains($"deployment {id} was planned against champion v1, but v2 is in Production", StringComparison.Ordinal));
        var answers = await service.ScoreAsync(100);
        Assert.All(answers, a => Assert.Equal(("champion", 2), (a.GetProperty("arm").GetString(), a.GetProperty("model").GetProperty("version").GetInt32())));

        // Aborting it is how an operator clears it.
        await service.PostAsync($"/deployments/{id}/abort", new { }, HttpStatusCode.OK);
    }
}
