using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting;

/// <summary>
/// The running service with a fake clock and its alert store, and findings to raise alerts with (applied through the
/// store, as the rules will): critical breaches go to slack and pagerduty, warnings to slack, info to nobody.
/// </summary>
internal sealed class AlertService(RunningService service, FakeTimeProvider clock) : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public RunningService Service { get; } = service;

    public FakeTimeProvider Clock { get; } = clock;

    public AlertStore Store => Service.Services.GetRequiredService<AlertStore>();

    public HttpClient Admin => Service.Admin;

    public static async Task<AlertService> StartAsync(string? postgres = null)
    {
        var clock = new FakeTimeProvider(Start);
        // The tests claim and record deliveries themselves: the service's own delivery worker makes its start-up pass
        // and then sleeps longer than any test advances the clock, so it never races them for a claim.
        var settings = new Dictionary<string, string?> { ["LeadScoring:Alerting:Delivery:PollInterval"] = "01:00:00" };
        return new AlertService(await RunningService.StartAsync(settings, postgres, clock), clock);
    }

    public static AlertFinding Finding(string rule, string subject, AlertLevel level, DateTimeOffset at, bool breached = true, string? model = RunningService.ModelName, double psi = 0.31) =>
        new(
            rule,
            subject,
            model,
            breached,
            level,
            at,
            breached ? $"{subject} drifted (PSI {psi.ToString("0.##", CultureInfo.InvariantCulture)})" : $"{subject} back to normal",
            string.Create(CultureInfo.InvariantCulture, $$"""{"psi": {{psi}}, "threshold": 0.25}"""),
            level switch { AlertLevel.Critical => ["slack", "pagerduty"], AlertLevel.Warning => ["slack"], _ => [] },
            TimeSpan.FromHours(4));

    /// <summary>Applies findings as one evaluation and returns the alert ids they opened or touched, in order.</summary>
    public async Task<long[]> ApplyAsync(string source, params AlertFinding[] findings)
    {
        var result = await Store.ApplyAsync(new AlertFindingBatch(source, findings));
        return [.. result.Applied.Select(a => a.AlertId ?? 0)];
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static long[] Ids(JsonElement page) => [.. page.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("id").GetInt64())];

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
