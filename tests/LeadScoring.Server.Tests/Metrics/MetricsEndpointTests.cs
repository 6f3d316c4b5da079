using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Metrics;

[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests(TestPackages packages) : IAsyncLifetime
{
    private static readonly (string, string)[] ChampionV1 = [("model", RunningService.ModelName), ("version", "1"), ("arm", "champion")];

    private RunningService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        await _service.DeployAsync(packages.First);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Scoring_a_lead_moves_the_score_log_and_request_counters()
    {
        var before = await ScrapeAsync();

        var (status, _, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("crm-metrics-1"));
        var after = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, after.Sum("leadscoring_scoring_score_count", ChampionV1) - before.Sum("leadscoring_scoring_score_count", ChampionV1));
        Assert.Equal(1, after.Sum("leadscoring_scoring_model_latency_seconds_count", ChampionV1) - before.Sum("leadscoring_scoring_model_latency_seconds_count", ChampionV1));
        Assert.Equal(1, after.Sum("leadscoring_predictions_rows_total") - before.Sum("leadscoring_predictions_rows_total"));
        var scored = new[] { ("http_route", "/score-lead"), ("http_response_status_code", "200") };
        var requests = before.Sum("http_server_request_duration_seconds_count", scored);
        Assert.Equal(requests + 1, await RequestCountAsync(scored, requests + 1));
    }

    // ASP.NET Core records a request's duration after its response is sent, so a scrape on another connection can
    // come first: read again, briefly, until the count arrives (or stays wrong).
    private async Task<double> RequestCountAsync((string, string)[] labels, double expected)
    {
        var count = 0.0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            count = (await ScrapeAsync()).Sum("http_server_request_duration_seconds_count", labels);
            if (count >= expected)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return count;
    }

    [Fact]
    public async Task Scores_fall_in_tenth_buckets_and_request_durations_in_sub_millisecond_buckets()
    {
        var (_, body, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("crm-metrics-2"));
        var score = body.GetProperty("score").GetDouble();
        var samples = await ScrapeAsync();

        var buckets = samples.Where(s => s.Name == "leadscoring_scoring_score_bucket" && s.Labels["arm"] == "champion").ToList();
        Assert.Equal(["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1", "+Inf"], buckets.Select(b => b.Labels["le"]));
        var first = buckets.First(b => b.Labels["le"] == "+Inf" || double.Parse(b.Labels["le"], System.Globalization.CultureInfo.InvariantCulture) >= score);
        Assert.Equal(1, first.Value);
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Labels["le"] == "0.0005");
    }

    [Fact]
    public async Task The_scrape_passes_promtool_check_metrics()
    {
        await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("crm-metrics-3"));
        var scrape = await _service.Client.GetStringAsync("/metrics");

        var (exitCode, output) = await Promtool.CheckMetricsAsync(scrape);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}: {output}");
    }

    [Fact]
    public async Task The_shadow_and_prediction_log_meters_are_exported()
    {
        var samples = await ScrapeAsync();

        Assert.Contains(samples, s => s.Name == "leadscoring_predictions_queue_depth");
        Assert.Contains(samples, s => s.Name == "leadscoring_shadow_queue_depth");
    }

    private async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync() => PrometheusText.Parse(await _service.Client.GetStringAsync("/metrics"));
}
