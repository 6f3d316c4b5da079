using System.Text;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Predictions;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Serving;

/// <summary>
/// The real service serving v1 (Production) as champion, with v2 registered beside it, and a deployment set the way the
/// deployment sync will set it: the challenger loaded through the service's model loader and put into the snapshot.
/// </summary>
internal sealed class ArmService : IAsyncDisposable
{
    public const string Salt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private ArmService(RunningService service, FaultyModelLoader loader)
    {
        Service = service;
        Loader = loader;
    }

    public RunningService Service { get; }

    public FaultyModelLoader Loader { get; }

    public ServingState Serving => Service.Services.GetRequiredService<ServingState>();

    public ArmCounters Counters => Service.Services.GetRequiredService<ArmCounters>();

    public ShadowScorer Shadow => Service.Services.GetRequiredService<ShadowScorer>();

    public static async Task<ArmService> StartAsync(TestPackages packages, IDictionary<string, string?>? settings = null)
    {
        var loader = new FaultyModelLoader();
        var service = await RunningService.StartAsync(settings, services: s => s.AddSingleton<IModelLoader>(loader));
        await service.DeployAsync(packages.First);
        Assert.Equal(2, await service.RegisterAsync(packages.Second));
        return new ArmService(service, loader);
    }

    /// <summary>Loads v2 through the service's loader (wrapped with <paramref name="fault"/>, if any) and serves it in <paramref name="mode"/>.</summary>
    public async Task<ServedDeployment> DeployAsync(string mode, double share, Func<IModelScorer, IModelScorer>? fault = null, long id = 7)
    {
        if (fault is not null)
        {
            Loader.Faults[2] = fault;
        }

        var bytes = (await Service.Registry.GetPackageAsync(RunningService.ModelName, 2))!;
        var challenger = Service.Services.GetRequiredService<IModelLoader>().Load(RunningService.ModelName, 2, bytes);
        var deployment = new ServedDeployment(id, mode, share, Salt, challenger);
        Assert.NotNull(Serving.SetDeployment(deployment));
        return deployment;
    }

    /// <summary>Scores <paramref name="count"/> leads ("lead-00000"…) in batches of 100: every response's lead.</summary>
    public async Task<List<System.Text.Json.JsonElement>> ScoreAsync(int count, string prefix = "lead")
    {
        var answers = new List<System.Text.Json.JsonElement>();
        for (var start = 0; start < count; start += 100)
        {
            var batch = new StringBuilder("[");
            for (var i = start; i < Math.Min(count, start + 100); i++)
            {
                batch.Append(i == start ? "" : ",").Append(Json.SimulatedLead($"{prefix}-{i:D5}"));
            }

            var (status, body, _) = await Json.PostAsync(Service.Client, "/score-leads", batch.Append(']').ToString());
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            answers.AddRange(body.EnumerateArray());
        }

        return answers;
    }

    public Task<List<StoredPrediction>> LoggedAsync() => LoggedPredictions.ReadAllAsync(Service.Storage);

    /// <summary>Waits (up to 30 s) until <paramref name="done"/> holds.</summary>
    public static async Task EventuallyAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="done"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
