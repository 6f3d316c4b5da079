using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>
/// The real service with an ingest key and a fake clock (so "now", the future check and receive times are known),
/// and helpers to post outcomes, seed the prediction log through the service's own DI, and read the stores.
/// </summary>
public sealed class OutcomeService : IAsyncDisposable
{
    public const string IngestKey = "test-ingest-key-abcdefghij";

    /// <summary>The service's "now" when a test starts.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private OutcomeService(RunningService service, FakeTimeProvider clock)
    {
        Service = service;
        Clock = clock;
        Ingest = new HttpClient { BaseAddress = service.Address };
        Ingest.DefaultRequestHeaders.Add("X-Api-Key", IngestKey);
    }

    public RunningService Service { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>A caller with the ingest key and no X-Actor.</summary>
    public HttpClient Ingest { get; }

    public OutcomeStore Store => Service.Services.GetRequiredService<OutcomeStore>();

    public static async Task<OutcomeService> StartAsync(IDictionary<string, string?>? settings = null, string? postgres = null)
    {
        var clock = new FakeTimeProvider(Now);
        var all = new Dictionary<string, string?> { ["LeadScoring:Ingest:Key"] = IngestKey };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new OutcomeService(await RunningService.StartAsync(all, postgres, clock), clock);
    }

    /// <summary>An outcome as JSON (the lead id is put in as written, escapes and all); null leaves a field out.</summary>
    public static string Outcome(string leadId, bool converted = true, string? revenue = "100.5", string? occurredAt = "2026-02-20T10:00:00Z")
    {
        var fields = new List<string> { $"\"lead_id\": \"{leadId}\"", $"\"converted\": {(converted ? "true" : "false")}" };
        if (revenue is not null)
        {
            fields.Add($"\"revenue\": {(converted ? revenue : "null")}");
        }

        if (occurredAt is not null)
        {
            fields.Add($"\"occurred_at\": \"{occurredAt}\"");
        }

        return "{" + string.Join(", ", fields) + "}";
    }

    public static string Array(params string[] outcomes) => "[" + string.Join(", ", outcomes) + "]";

    public Task<(HttpStatusCode Status, JsonElement Body, string ContentType)> PostAsync(string json, HttpClient? client = null) =>
        Json.PostAsync(client ?? Ingest, "/outcomes", json);

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetSummaryAsync(string? knownBy = null)
    {
        using var response = await Ingest.GetAsync("/outcomes/summary" + (knownBy is null ? "" : "?known_by=" + Uri.EscapeDataString(knownBy)));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Logs one score per (lead, scored-at) through the service's own prediction log.</summary>
    public Task SeedScoresAsync(params (string LeadId, DateTimeOffset ScoredAt)[] scores) =>
        Service.Services.GetRequiredService<PredictionLog>().AppendAsync(
            [.. scores.Select((s, i) => new PredictionRecord(
                string.Create(CultureInfo.InvariantCulture, $"seed-{i}"), s.LeadId, s.ScoredAt, RunningService.ModelName, 1, ServingArms.Champion, 0.5, "warm", 800, "{}"))]);

    /// <summary>How many leads have an outcome in the store.</summary>
    public async Task<long> StoredAsync() => (await Store.GetSummaryAsync()).Received;

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Ingest.Dispose();
        await Service.DisposeAsync();
    }
}
