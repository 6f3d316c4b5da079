using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Tests.Hosting;

[Collection(ServerCollection.Name)]
public sealed class RequestIdTests(TestPackages packages)
{
    [Fact]
    public async Task A_problem_carries_the_same_request_id_as_the_header_and_the_log()
    {
        await using var service = await RunningService.StartAsync();

        // 503 and 404 before a model is served, a 400 after; one with the caller's own id.
        await AssertOneIdAsync(service, HttpMethod.Post, "/score-lead", Json.SimulatedLead(), HttpStatusCode.ServiceUnavailable, callerId: null);
        await AssertOneIdAsync(service, HttpMethod.Get, "/no-such-route", null, HttpStatusCode.NotFound, callerId: null);
        await service.DeployAsync(packages.First);
        await AssertOneIdAsync(service, HttpMethod.Post, "/score-lead", "{}", HttpStatusCode.BadRequest, callerId: null);
        await AssertOneIdAsync(service, HttpMethod.Post, "/score-lead", "{}", HttpStatusCode.BadRequest, callerId: "crm-req-400");
    }

    [Fact]
    public async Task Json_log_timestamps_are_plain_iso_8601_utc()
    {
        await using var service = await RunningService.StartAsync();
        var options = service.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        var at = new DateTimeOffset(2026, 12, 2, 6, 9, 24, 793, TimeSpan.Zero);

        var written = at.ToString(options.TimestampFormat, CultureInfo.InvariantCulture);

        Assert.True(options.UseUtcTimestamp);
        Assert.Equal("2026-12-02T06:09:24.793Z", written);
        Assert.Equal(at, DateTimeOffset.Parse(written, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }

    private static async Task AssertOneIdAsync(RunningService service, HttpMethod method, string path, string? json, HttpStatusCode expected, string? callerId)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (callerId is not null)
        {
            request.Headers.Add("X-Request-Id", callerId);
        }

        using var response = await service.Client.SendAsync(request);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var header = response.Headers.GetValues("X-Request-Id").Single();
        List<string?> Logged() => service.Logs.Records
            .Where(r => r.Category.EndsWith("RequestLogging", StringComparison.Ordinal) && r.State.Any(kv => kv.Key == "Path" && (string?)kv.Value == path))
            .Select(r => r.State.Single(kv => kv.Key == "RequestId").Value as string)
            .ToList();

        // The log line is written when the pipeline unwinds, which may be just after the client has the response.
        for (var wait = 0; wait < 100 && !Logged().Contains(header); wait++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(callerId ?? header, header);
        Assert.Equal(header, problem.GetProperty("trace_id").GetString());
        Assert.Contains(header, Logged());
    }
}
