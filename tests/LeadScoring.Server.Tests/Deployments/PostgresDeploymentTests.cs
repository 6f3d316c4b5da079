using LeadScoring.Server.Deployments;
using LeadScoring.Server.Tests.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>Two instances on one PostgreSQL database serve one deployment: the same arm per lead, the configured split, one supervisor.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresDeploymentTests(PostgresTestCluster cluster)
{
    private const int Leads = 10_000;
    private static readonly TestPackages Packages = new();
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Two_instances_give_every_lead_the_same_arm_split_as_configured_and_a_step_up_moves_no_lead_back()
    {
        var database = await cluster.CreateDatabaseAsync("deployments");
        try
        {
            // One clock for both, as replicas on synchronised hosts; every poll and evaluation waits on it.
            var clock = new FakeTimeProvider(DeploymentService.Start);
            await using var first = await DeploymentService.StartAsync(Packages, database, clock);
            await using var second = await DeploymentService.StartAsync(Packages, database, clock, registerVersions: false);
            await second.Service.WaitUntilServingAsync(1);

            // Started in the shared store with a fixed salt, so the split is the same on every run: over 10,000 leads
            // at 50 % a split's standard deviation is 0.5 points, and a random salt (what POST /deployments draws)
            // would miss the ±1 point check in about 5 % of runs. Both instances pick it up by polling the store.
            var steps = new[] { new CanaryStepSpec(0.1, TimeSpan.FromMinutes(5)), new CanaryStepSpec(0.5, TimeSpan.FromMinutes(5)), new CanaryStepSpec(1.0, null) };
            var started = await first.Service.Services.GetRequiredService<DeploymentStore>().StartAsync(
                new NewDeployment(RunningService.ModelName, 1, 2, DeploymentMode.Canary, 0, steps, false, "00112233445566778899aabbccddeeff"), "alice", null);
            var id = started.Id;
            await FollowsWithinOnePollAsync(clock, first, id, 0.1);
            await FollowsWithinOnePollAsync(clock, second, id, 0.1);

            var tenPercent = await ArmsThroughBothAsync(first, second);
            Assert.InRange(tenPercent.Values.Count(a => a == "challenger") / (double)Leads, 0.09, 0.11);

            // Every instance runs its supervisor each minute; only the lease holder evaluates, and at 5 minutes it steps up.
            await DeploymentService.RunIntervalsAsync(clock, TimeSpan.FromMinutes(1), 5, first, second);
            var deployment = await first.Service.Services.GetRequiredService<DeploymentStore>().GetAsync(id);
            Assert.Equal((1, 0.5), (deployment!.Step, deployment.Share));
            var evaluations = new[] { first.Supervisor.Evaluations, second.Supervisor.Evaluations };
            Assert.Equal(5, evaluations.Max());
            Assert.Equal(0, evaluations.Min());
            var holder = evaluations[0] > 0 ? first : second;
            var lease = first.Service.Services.GetRequiredService<StoreLease>();
            Assert.Equal(holder.Service.Services.GetRequiredService<ReplicaIdentity>().Id, (await lease.GetHolderAsync(DeploymentSupervisor.LeaseName))!.Value.Owner);

            // The holder follows at once; the other within one poll.
            var other = holder == first ? second : first;
            Assert.Equal(0.5, holder.Serving.Snapshot!.Deployment!.Share);
            await FollowsWithinOnePollAsync(clock, other, id, 0.5);

            var fiftyPercent = await ArmsThroughBothAsync(first, second);
            Assert.InRange(fiftyPercent.Values.Count(a => a == "challenger") / (double)Leads, 0.49, 0.51);
            Assert.All(tenPercent.Where(p => p.Value == "challenger"), p => Assert.Equal("challenger", fiftyPercent[p.Key]));

            // Both instances' arm counters reached the store exactly: the 10 % round scored every lead four times
            // (twice through each), in the first minute; flushed every interval as totals, never added twice.
            var rows = await first.Service.Services.GetRequiredService<DeploymentStore>().ReadArmMinutesAsync(id, DeploymentService.Start.AddHours(-1), clock.GetUtcNow().AddHours(1));
            Assert.Equal(4 * Leads, rows.Where(r => r.Minute < DeploymentService.Start.AddMinutes(1)).Sum(r => r.Requests));
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }

    // One poll interval of the shared clock is enough for an instance to serve the deployment's new share.
    private static async Task FollowsWithinOnePollAsync(FakeTimeProvider clock, DeploymentService service, long id, double share)
    {
        clock.Advance(Poll);
        await ArmService.EventuallyAsync(() => service.Serving.Snapshot?.Deployment is { } d && d.Id == id && d.Share == share, $"the instance serves deployment {id} at {share}");
    }

    // Every lead scored twice through each instance: each lead's four answers name the same arm.
    private static async Task<Dictionary<string, string>> ArmsThroughBothAsync(DeploymentService first, DeploymentService second)
    {
        var arms = new Dictionary<string, string>();
        foreach (var service in new[] { first, second, first, second })
        {
            foreach (var answer in await service.ScoreAsync(Leads))
            {
                var lead = answer.GetProperty("lead_id").GetString()!;
                var arm = answer.GetProperty("arm").GetString()!;
                Assert.Equal(arms.GetValueOrDefault(lead, arm), arm);
                arms[lead] = arm;
            }
        }

        Assert.Equal(Leads, arms.Count);
        return arms;
    }
}
