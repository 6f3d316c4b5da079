using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Serving;

[Collection(ServerCollection.Name)]
public sealed class ServingStateTests(TestPackages packages)
{
    [Fact]
    public async Task A_batch_is_scored_on_one_whole_snapshot_while_deployments_are_swapped()
    {
        await using var arms = await ArmService.StartAsync(packages);
        var deployment = await arms.DeployAsync(ServedModes.AB, 1.0);
        using var stop = new CancellationTokenSource();
        var flips = 0;
        var swapper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                arms.Serving.SetDeployment(flips++ % 2 == 0 ? null : deployment);
                await Task.Delay(1);
            }
        });

        var batches = new List<string[]>();
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var answers = await arms.ScoreAsync(50, $"batch{i}");
                batches.Add(answers.Select(a => $"{a.GetProperty("arm").GetString()}/v{a.GetProperty("model").GetProperty("version").GetInt32()}").Distinct().ToArray());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await swapper;
        }

        // At share 1 every lead of a batch scored with the deployment is the challenger's, and without it the champion's.
        Assert.All(batches, arms => Assert.True(arms is ["champion/v1"] or ["challenger/v2"], string.Join(", ", arms)));
        Assert.Contains(batches, b => b[0] == "champion/v1");
        Assert.Contains(batches, b => b[0] == "challenger/v2");
        Assert.True(flips > 2);
    }

    [Fact]
    public void A_new_champion_keeps_the_deployment_unless_its_features_differ()
    {
        var state = new ServingState();
        var (v1, v2, other) = (Loaded(packages.First, 1), Loaded(packages.Second, 2), Loaded(packages.OtherSchema, 3));
        var deployment = new ServedDeployment(1, ServedModes.Canary, 0.1, "salt", v2);

        Assert.Null(state.SetDeployment(deployment));
        state.SetChampion(v1);
        Assert.Same(deployment, state.SetDeployment(deployment)!.Deployment);
        Assert.Same(deployment, state.SetChampion(v1 with { LoadedAt = v1.LoadedAt.AddMinutes(1) })!.Deployment);
        Assert.Null(state.SetChampion(other)!.Deployment);
        Assert.Throws<InvalidOperationException>(() => state.SetDeployment(deployment));
        Assert.Null(state.SetChampion(null));
    }

    [Fact]
    public void A_served_deployment_checks_its_mode_and_share()
    {
        var v2 = Loaded(packages.Second, 2);

        Assert.Throws<ArgumentException>(() => new ServedDeployment(1, "single", 0, "salt", v2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServedDeployment(1, ServedModes.AB, 1.5, "salt", v2));
        Assert.Throws<ArgumentException>(() => new ServedDeployment(1, ServedModes.AB, 0.5, "", v2));
        Assert.Equal(0, new ServedDeployment(1, ServedModes.Shadow, 0.3, "salt", v2).Share);
    }

    private static LoadedModel Loaded(byte[] archive, int version) => new PackageModelLoader(TimeProvider.System).Load(RunningService.ModelName, version, archive);
}
