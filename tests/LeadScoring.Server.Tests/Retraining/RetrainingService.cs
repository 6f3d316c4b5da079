using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Retraining;

/// <summary>
/// The real service on a fake clock with the simulated-leads model (trained on baseline leads) in Production, and the
/// /retraining/runs routes called over HTTP with the admin key.
/// </summary>
internal sealed class RetrainingService : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private RetrainingService(RunningService service, FakeTimeProvider clock) => (Service, Clock) = (service, clock);

    public RunningService Service { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>Starts the service with <paramref name="settings"/> (no trigger fires unless they say so) and deploys the baseline model.</summary>
    public static async Task<RetrainingService> StartAsync(TestPackages packages, IDictionary<string, string?>? settings = null, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var all = new Dictionary<string, string?>
        {
            ["LeadScoring:Retraining:Triggers:Drift"] = "false",
            ["LeadScoring:Retraining:Triggers:Schedule"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var service = await RunningService.StartAsync(all, clock: clock);
        await service.DeployAsync(packages.First);
        return new RetrainingService(service, clock);
    }

    /// <summary>Sends <paramref name="json"/> (or nothing) with the admin key; the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await (client ?? Service.Admin).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>GET <paramref name="path"/>; must succeed.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return body;
    }

    /// <summary>POST /retraining/runs with <paramref name="json"/>; must be accepted; returns the run's id.</summary>
    public async Task<long> RequestAsync(string json = """{"reason": "test"}""")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/retraining/runs", json);
        Assert.True(status == HttpStatusCode.Accepted, $"POST /retraining/runs: {(int)status} {body}");
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>GET /retraining/runs/{id}: run, trials and events.</summary>
    public Task<JsonElement> RunAsync(long id) => GetAsync($"/retraining/runs/{id}");

    /// <summary>Waits (real time, <paramref name="seconds"/> at most) until run <paramref name="id"/> matches <paramref name="done"/>; returns its detail.</summary>
    public async Task<JsonElement> WaitForAsync(long id, Func<JsonElement, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var detail = await RunAsync(id);
            if (done(detail.GetProperty("run")))
            {
                return detail;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {id} not there within {seconds} s: {detail.GetProperty("run")}");
            await Task.Delay(100);
        }
    }

    /// <summary>Whether a run document says the run has ended.</summary>
    public static bool IsFinished(JsonElement run) => run.GetProperty("finished").GetBoolean();

    /// <summary>The status of a run document.</summary>
    public static string Status(JsonElement run) => run.GetProperty("status").GetString()!;

    /// <summary>The steps of a run detail's events, oldest first.</summary>
    public static string[] Steps(JsonElement detail) => [.. detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("step").GetString()!)];

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
