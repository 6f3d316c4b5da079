using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Deployments;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Serving;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>
/// The real service on a fake clock, serving v1 (Production) with v2 registered, its model loader able to make v2
/// throw or run slow. Deployments are made through the HTTP routes; the supervisor and the sync run on the fake
/// clock, so a day of a canary is one <see cref="FakeTimeProvider.Advance"/>.
/// </summary>
internal sealed class DeploymentService : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 10, TimeSpan.Zero);

    private DeploymentService(RunningService service, FaultyModelLoader loader, FakeTimeProvider clock)
    {
        (Service, Loader, Clock) = (service, loader, clock);
    }

    public RunningService Service { get; }

    public FaultyModelLoader Loader { get; }

    public FakeTimeProvider Clock { get; }

    public ServingState Serving => Service.Services.GetRequiredService<ServingState>();

    public DeploymentSupervisor Supervisor => Service.Services.GetRequiredService<DeploymentSupervisor>();

    /// <summary>Starts the service (v1 in Production, v2 registered unless <paramref name="registerVersions"/> is false: another instance does it).</summary>
    public static async Task<DeploymentService> StartAsync(
        TestPackages packages, string? postgres = null, FakeTimeProvider? clock = null, bool registerVersions = true, IDictionary<string, string?>? settings = null, Action<FaultyModelLoader>? faults = null)
    {
        var loader = new FaultyModelLoader();
        faults?.Invoke(loader);
        clock ??= new FakeTimeProvider(Start);
        var service = await RunningService.StartAsync(settings, postgres, clock, s => s.AddSingleton<IModelLoader>(loader));
        if (registerVersions)
        {
            await service.DeployAsync(packages.First);
            Assert.Equal(2, await service.RegisterAsync(packages.Second));
        }

        return new DeploymentService(service, loader, clock);
    }

    /// <summary>POST /deployments with <paramref name="body"/>; asserts <paramref name="expected"/> and returns the body.</summary>
    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var (status, answer, _) = await Json.PostAsync(Service.Admin, path, JsonSerializer.Serialize(body));
        Assert.True(status == expected, $"{path}: {(int)status} {answer}");
        return answer;
    }

    /// <summary>GET /deployments/{id}: the deployment with its events.</summary>
    public async Task<JsonElement> GetAsync(long id)
    {
        using var response = await Service.Admin.GetAsync($"/deployments/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Scores <paramref name="count"/> leads ("{prefix}-00000"…) in batches of 100; every request must succeed.</summary>
    public async Task<List<JsonElement>> ScoreAsync(int count, string prefix = "lead", int from = 0)
    {
        var answers = new List<JsonElement>();
        for (var start = from; start < from + count; start += 100)
        {
            var batch = new StringBuilder("[");
            for (var i = start; i < Math.Min(from + count, start + 100); i++)
            {
                batch.Append(i == start ? "" : ",").Append(Json.SimulatedLead($"{prefix}-{i:D5}"));
            }

            var (status, body, _) = await Json.PostAsync(Service.Client, "/score-leads", batch.Append(']').ToString());
            Assert.Equal(HttpStatusCode.OK, status);
            answers.AddRange(body.EnumerateArray());
        }

        return answers;
    }

    /// <summary>Moves the fake clock by one evaluation interval at a time until the supervisor has run <paramref name="intervals"/> more intervals.</summary>
    public static async Task RunIntervalsAsync(FakeTimeProvider clock, TimeSpan interval, int intervals, params DeploymentService[] services)
    {
        for (var i = 0; i < intervals; i++)
        {
            var before = services.Select(s => s.Supervisor.Intervals).ToArray();
            clock.Advance(interval);
            await ArmService.EventuallyAsync(() => services.Select((s, k) => s.Supervisor.Intervals > before[k]).All(x => x), "every supervisor ran its interval");
        }
    }

    /// <summary>Moves the fake clock by <paramref name="by"/> once and waits until every supervisor ran the interval that woke.</summary>
    public static async Task AdvanceAsync(FakeTimeProvider clock, TimeSpan by, params DeploymentService[] services)
    {
        var before = services.Select(s => s.Supervisor.Intervals).ToArray();
        clock.Advance(by);
        await ArmService.EventuallyAsync(() => services.Select((s, k) => s.Supervisor.Intervals > before[k]).All(x => x), "every supervisor ran its interval");
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
