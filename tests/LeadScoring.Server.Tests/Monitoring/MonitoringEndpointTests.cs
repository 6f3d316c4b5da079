using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Monitoring;

/// <summary>
/// /monitoring over HTTP: a manual run over leads scored through the service, listing with filters and paging,
/// one run with its summary and figures, a series, and every refusal: 401 without the key, 400 naming the bad
/// parameter, 404 for an unknown model or run.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MonitoringEndpointTests(TestPackages packages)
{
    private const string Model = RunningService.ModelName;
    private static readonly DateTimeOffset Start = MonitoringService.Start;

    [Fact]
    public async Task A_manual_run_over_leads_scored_through_the_service_is_stored_and_shown_with_its_summary_and_figures()
    {
        await using var service = await MonitoringService.StartAsync(packages);
        await service.ScoreAsync(400, seed: 51, Scenario.SourceShift);
        service.Clock.Advance(TimeSpan.FromHours(1));

        using var response = await service.Service.Admin.PostAsJsonAsync("/monitoring/runs", new { model = Model, from = "2026-12-01T08:00:00Z", to = "2026-12-01T10:00:00Z" });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var run = Assert.Single(created.EnumerateArray());
        var id = run.GetProperty("run").GetProperty("id").GetInt64();
        var shown = await service.Service.Admin.GetFromJsonAsync<JsonElement>($"/monitoring/runs/{id}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/monitoring/runs/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("manual", shown.GetProperty("run").GetProperty("kind").GetString());
        Assert.Equal(1, shown.GetProperty("run").GetProperty("version").GetInt32());
        Assert.Equal("champion", shown.GetProperty("run").GetProperty("arm").GetString());
        Assert.Equal("ok", shown.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(400, Figure(shown, "leads").GetProperty("value").GetDouble());
        Assert.Equal(400, Figure(shown, "requests").GetProperty("value").GetDouble());
        Assert.Equal("drifted", Figure(shown, "drifted", "lead_source").GetProperty("verdict").GetString());
        Assert.Equal(run.GetProperty("figures").GetArrayLength(), shown.GetProperty("figures").GetArrayLength());
        var summary = shown.GetProperty("summary");
        Assert.False(summary.GetProperty("labels_mature").GetBoolean());
        Assert.Equal(JsonValueKind.Object, summary.GetProperty("report").ValueKind);
        Assert.Equal(400, summary.GetProperty("operations").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task The_configured_monitoring_settings_reach_the_runs()
    {
        await using var service = await MonitoringService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Monitoring:MinimumSampleSize"] = "401" });
        await service.ScoreAsync(400, seed: 53);

        var (status, created, _) = await Json.PostAsync(service.Service.Admin, "/monitoring/runs", """{"model": "lead-scoring", "from": "2026-12-01T08:00:00Z", "to": "2026-12-01T10:00:00Z"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("insufficient_data", Assert.Single(created.EnumerateArray()).GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Runs_list_newest_first_in_pages_and_filter_by_scope_kind_and_window()
    {
        await using var service = await MonitoringService.StartAsync(packages);
        var store = service.Service.Services.GetRequiredService<MonitoringStore>();
        var ids = new List<long>();
        foreach (var (kind, arm, hours) in new[] { ("hourly", "champion", 1), ("hourly", "challenger", 2), ("daily", "champion", 3), ("hourly", "champion", 4), ("weekly", "champion", 5) })
        {
            ids.Add(await store.RecordRunAsync(Run(kind, arm, Start.AddHours(hours)), [new MonitoringFigure("overall_psi", null, hours / 10.0)]));
        }

        var first = await GetAsync(service, "/monitoring/runs?page_size=2");
        var second = await GetAsync(service, $"/monitoring/runs?page_size=2&before={first.GetProperty("next_before").GetInt64()}");
        var third = await GetAsync(service, $"/monitoring/runs?page_size=2&before={second.GetProperty("next_before").GetInt64()}");
        var hourlyChampion = await GetAsync(service, $"/monitoring/runs?model={Model}&version=1&arm=champion&kind=hourly");
        var window = await GetAsync(service, "/monitoring/runs?from=2026-12-01T11:00:00Z&to=2026-12-01T13:00:00Z");

        Assert.Equal(ids.AsEnumerable().Reverse(), new[] { first, second, third }.SelectMany(p => Ids(p)));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_before").ValueKind);
        Assert.Equal([ids[3], ids[0]], Ids(hourlyChampion));
        Assert.Equal([ids[2], ids[1]], Ids(window));
        Assert.Equal("2026-12-01T13:00:00+00:00", first.GetProperty("runs")[1].GetProperty("window_to").GetString());
    }

    [Fact]
    public async Task A_series_is_one_figures_history_in_one_scope_by_window_end()
    {
        await using var service = await MonitoringService.StartAsync(packages);
        var store = service.Service.Services.GetRequiredService<MonitoringStore>();
        for (var day = 3; day >= 1; day--)
        {
            await store.RecordRunAsync(Run("daily", "champion", Start.AddDays(day)), [new MonitoringFigure("psi", "lead_source", day / 10.0, null, "ok"), new MonitoringFigure("psi", "country", 0.5)]);
        }

        await store.RecordRunAsync(Run("daily", "challenger", Start.AddDays(2)), [new MonitoringFigure("psi", "lead_source", 0.9)]);
        service.Clock.Advance(TimeSpan.FromDays(4));

        var series = await GetAsync(service, $"/monitoring/series?model={Model}&metric=psi&feature=lead_source&version=1&arm=champion&kind=daily");
        var windowed = await GetAsync(service, $"/monitoring/series?model={Model}&metric=psi&feature=lead_source&version=1&arm=champion&from=2026-12-02T12:00:00Z&to=2026-12-04T00:00:00Z");

        Assert.Equal([0.1, 0.2, 0.3], series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal("ok", series.GetProperty("points")[0].GetProperty("verdict").GetString());
        Assert.Equal("lead_source", series.GetProperty("feature").GetString());
        Assert.Equal([0.2], windowed.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
    }

    [Theory]
    [InlineData("/monitoring/runs?page_size=0", "page_size")]
    [InlineData("/monitoring/runs?page_size=1001", "page_size")]
    [InlineData("/monitoring/runs?page_size=ten", "page_size")]
    [InlineData("/monitoring/runs?before=-3", "before")]
    [InlineData("/monitoring/runs?kind=yearly", "kind")]
    [InlineData("/monitoring/runs?arm=canary", "arm")]
    [InlineData("/monitoring/runs?version=0", "version")]
    [InlineData("/monitoring/runs?version=v1", "version")]
    [InlineData("/monitoring/runs?from=yesterday", "from")]
    [InlineData("/monitoring/runs?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    [InlineData("/monitoring/series?metric=psi", "model")]
    [InlineData("/monitoring/series?model=lead-scoring", "metric")]
    [InlineData("/monitoring/series?model=lead-scoring&metric=psi&feature=%20", "feature")]
    [InlineData("/monitoring/series?model=lead-scoring&metric=psi&to=soon", "to")]
    [InlineData("/monitoring/series?model=lead-scoring&metric=psi&arm=blue", "arm")]
    [InlineData("/monitoring/investigation?days=two", "days")]
    [InlineData("/monitoring/investigation?days=0", "days")]
    [InlineData("/monitoring/investigation?days=91", "days")]
    [InlineData("/monitoring/investigation?model=%20", "model")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string path, string field)
    {
        await using var service = await MonitoringService.StartAsync(packages);

        using var response = await service.Service.Admin.GetAsync(path);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(Json.Errors(problem, field));
    }

    [Fact]
    public async Task The_investigation_of_a_model_without_a_Production_version_is_a_404_and_it_needs_the_admin_key()
    {
        await using var service = await MonitoringService.StartAsync(packages);

        using var unknown = await service.Service.Admin.GetAsync("/monitoring/investigation?model=nobody");
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        using var anonymous = await service.Service.Client.GetAsync("/monitoring/investigation");
        using var served = await service.Service.Admin.GetAsync("/monitoring/investigation?days=1");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("'nobody' has no version in Production", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Bad_run_requests_are_400s_naming_the_field_unknown_models_and_runs_404_and_every_route_needs_the_admin_key()
    {
        await using var service = await MonitoringService.StartAsync(packages);
        var admin = service.Service.Admin;

        async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
        {
            var (status, body, _) = await Json.PostAsync(admin, "/monitoring/runs", json);
            return (status, body);
        }

        var cases = new (string Json, string Field)[]
        {
            ("""{"from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"}""", "model"),
            ("""{"model": "lead-scoring", "to": "2026-12-02T00:00:00Z"}""", "from"),
            ("""{"model": "lead-scoring", "from": "2026-12-01", "to": "2026-12-02T00:00:00Z"}""", "from"),
            ("""{"model": "lead-scoring", "from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}""", "to"),
            ("""{"model": "lead-scoring", "from": "2025-01-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}""", "to"),
            ("""{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "version": 0}""", "version"),
            ("""{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "version": "1"}""", "version"),
            ("""{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "arm": "blue"}""", "arm"),
            ("""{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "window": "day"}""", "window"),
        };
        foreach (var (json, field) in cases)
        {
            var (status, body) = await PostAsync(json);
            Assert.True(status == HttpStatusCode.BadRequest, $"{json}: {status}");
            Assert.True(Json.Errors(body, field).Length > 0, $"{json}: {body}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("""{"model": "nobody", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("""{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "version": 9}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/monitoring/runs/12345")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/monitoring/runs?model=nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/monitoring/series?model=nobody&metric=psi")).StatusCode);
        Assert.Empty(Ids(await GetAsync(service, "/monitoring/runs")));
        foreach (var path in new[] { "/monitoring/runs", "/monitoring/runs/1", $"/monitoring/series?model={Model}&metric=psi" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await service.Service.Client.GetAsync(path)).StatusCode);
        }

        var (anonymous, _, _) = await Json.PostAsync(service.Service.Client, "/monitoring/runs", """{"model": "lead-scoring", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    private static MonitoringRun Run(string kind, string arm, DateTimeOffset windowTo) =>
        new(kind, Model, arm == ServingArms.Challenger ? 2 : 1, arm, windowTo.AddHours(-1), windowTo, windowTo, windowTo, MonitoringRunStatuses.Ok, "{}");

    private static async Task<JsonElement> GetAsync(MonitoringService service, string path)
    {
        using var response = await service.Service.Admin.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {body}");
        return body;
    }

    private static long[] Ids(JsonElement page) => [.. page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];

    private static JsonElement Figure(JsonElement detail, string metric, string? feature = null) =>
        detail.GetProperty("figures").EnumerateArray().Single(f =>
            f.GetProperty("metric").GetString() == metric
            && (feature is null ? f.GetProperty("feature").ValueKind == JsonValueKind.Null : f.GetProperty("feature").GetString() == feature));
}
