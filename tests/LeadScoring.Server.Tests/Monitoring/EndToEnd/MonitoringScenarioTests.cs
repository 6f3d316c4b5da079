using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Monitoring.EndToEnd;

/// <summary>
/// The simulator's scenarios end to end: traffic and outcomes over HTTP into the real service on a fake clock, the
/// checks fired by the real scheduler (Quartz on the service's clock) and stored, and the investigation over HTTP.
/// The model in Production was trained on baseline leads.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MonitoringScenarioTests(TestPackages packages, Xunit.Abstractions.ITestOutputHelper output)
{
    // A Tuesday: the weekly check (Mondays, 00:30) is six days away.
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Broken_pipeline_is_a_data_quality_failure_in_the_first_hourly_check_and_an_integration_issue()
    {
        await using var service = await StartAsync();
        var traffic = new SimulatedTraffic(Scenario.BrokenPipeline, 4_800, 71, Start, 1, "broken");
        var first = traffic.Hours[0];

        var scored = await traffic.ScoreHourAsync(service.Service, service.Clock, first);
        var run = Assert.Single(await HourlyCheckAsync(service, first));

        Assert.True(scored >= 100, $"the first hour has {scored} leads");
        Assert.Equal(MonitoringRunStatuses.Ok, run.Run.Run.Status);
        Assert.Equal(scored, Figure(run, "leads"));
        var failed = run.Figures.Where(f => f.Metric == "quality" && f.Verdict == "failed").Select(f => f.Feature).Order().ToList();
        Assert.Equal(["pages_per_visit", "time_on_site_sec"], failed);
        var investigation = await InvestigateAsync(service, days: 1);
        Assert.Equal("integration_issue", investigation.GetProperty("cause").GetString());
        Assert.Contains("time_on_site_sec", investigation.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_shift_flags_lead_source_and_nothing_unrelated_in_the_daily_check_and_is_data_drift()
    {
        await using var service = await StartAsync();
        var traffic = new SimulatedTraffic(Scenario.SourceShift, 3_000, 72, Start, 1, "shift");

        foreach (var hour in traffic.Hours)
        {
            await traffic.ScoreHourAsync(service.Service, service.Clock, hour);
        }

        var daily = Assert.Single(await CheckAsync(service, MonitoringRunKinds.Daily, Start.AddDays(1).AddMinutes(15)));

        Assert.Equal(3_000, Figure(daily, "leads"));
        Assert.Equal(["lead_source"], daily.Figures.Where(f => f.Metric == "drifted" && f.Value == 1).Select(f => f.Feature));
        Assert.Equal(0, Figure(daily, "quality_failed_features"));
        var investigation = await InvestigateAsync(service, days: 2);
        Assert.Equal("data_drift", investigation.GetProperty("cause").GetString());
        Assert.StartsWith("lead_source", investigation.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // The weekly check writes the HTML drift report into the data directory and the API serves it.
        var weekly = Assert.Single(await CheckAsync(service, MonitoringRunKinds.Weekly, new DateTimeOffset(2026, 11, 9, 0, 30, 0, TimeSpan.Zero)));
        Assert.Equal(["lead_source"], weekly.Figures.Where(f => f.Metric == "drifted" && f.Value == 1).Select(f => f.Feature));
        Assert.StartsWith("weekly-", weekly.Run.Run.ReportPath, StringComparison.Ordinal);
        using var report = await service.Service.Admin.GetAsync($"/monitoring/runs/{weekly.Run.Id}/report");
        var html = await report.Content.ReadAsStringAsync();
        Assert.True(report.IsSuccessStatusCode, html);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("lead_source", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(service.Service.Storage.DataDirectory, "reports", weekly.Run.Run.ReportPath!)));
        using var none = await service.Service.Admin.GetAsync($"/monitoring/runs/{daily.Run.Id}/report");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Concept_drift_leaves_the_inputs_quiet_but_realised_performance_drops_and_the_estimate_gap_opens_once_outcomes_arrive()
    {
        await using var service = await StartAsync();
        var traffic = new SimulatedTraffic(Scenario.ConceptDrift, 3_000, 73, Start, 1, "concept");
        foreach (var hour in traffic.Hours)
        {
            await traffic.ScoreHourAsync(service.Service, service.Clock, hour);
        }

        // Day by day: the CRM reports what happened, and each day's check runs; the first day's window matures
        // once the measured P90 conversion delay has passed, and a daily check then reconciles it.
        var runs = new List<MonitoringRunDetail>();
        for (var day = 1; day <= 17; day++)
        {
            service.Clock.SetUtcNow(Start.AddDays(day));
            await traffic.SendOutcomesAsync(service.Service, service.Clock);
            runs.AddRange(await CheckAsync(service, MonitoringRunKinds.Daily, Start.AddDays(day).AddMinutes(15)));
        }

        // The reconciliation is a daily run over the first window again (its end is not the check's due time): once
        // the measured delay has passed it is re-run each day until most of its outcomes are in, then once more, final.
        var windows = await RunsEndingAsync(service, MonitoringRunKinds.Daily, Start.AddDays(1).AddMinutes(15));
        var first = windows[0];
        var reconciled = Assert.Single(windows, r => Figure(r, "labels_mature") == 1);
        Assert.Same(reconciled, windows[^1]);
        Assert.All(windows.SkipLast(1).Skip(1), r => Assert.DoesNotContain(r.Figures, f => f.Metric == "auc_gap"));
        Assert.Equal(0, Figure(first, "drifted_features"));
        Assert.Equal(0, Figure(first, "labels_mature"));
        Assert.DoesNotContain(first.Figures, f => f.Metric == "auc_gap");
        Assert.Equal(0, Figure(reconciled, "drifted_features"));
        Assert.Equal(1, Figure(reconciled, "labels_mature"));
        Assert.True(Figure(reconciled, "auc_gap") > 0.05, $"AUC gap {Figure(reconciled, "auc_gap")}");
        Assert.True(Figure(reconciled, "estimated_roc_auc") - Figure(reconciled, "roc_auc") > 0.05);
        var investigation = await InvestigateAsync(service, days: 20);
        Assert.Equal("concept_drift", investigation.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Baseline_traffic_over_120_hourly_windows_raises_few_false_alarms_and_a_quiet_investigation()
    {
        await using var service = await StartAsync();
        var traffic = new SimulatedTraffic(Scenario.Baseline, 15_000, 74, Start, 5, "baseline");

        // Hour by hour, as time passes: the hour's leads, then the scheduler's check of it at five past the next hour.
        var hourly = new List<MonitoringRunDetail>();
        for (var hour = Start; hour < Start.AddDays(5); hour = hour.AddHours(1))
        {
            await traffic.ScoreHourAsync(service.Service, service.Clock, hour);
            hourly.AddRange(await HourlyCheckAsync(service, hour));
        }

        var judged = hourly.Where(r => r.Run.Run.Status == MonitoringRunStatuses.Ok).ToList();
        var alarms = BaselineAlarms.Count(judged);
        output.WriteLine($"{hourly.Count} hourly windows, {judged.Count} judged (the rest under {100} leads), {judged.Sum(r => Figure(r, "leads")) / judged.Count:0} leads each on average");
        foreach (var (detector, windows) in alarms)
        {
            output.WriteLine($"{detector}: {windows} of {judged.Count} windows ({(double)windows / judged.Count:P1})");
        }

        var investigation = await InvestigateAsync(service, days: 6);
        Assert.True(judged.Count >= 100, $"{judged.Count} judged windows");
        Assert.Equal(0, alarms["data quality failed"]);
        Assert.True(alarms["data drift (any feature, BH)"] <= judged.Count / 10, $"{alarms["data drift (any feature, BH)"]} data-drift alarms in {judged.Count} windows");
        Assert.Equal(0, alarms["dataset drift"]);
        Assert.True("none" == investigation.GetProperty("cause").GetString(), investigation.GetProperty("explanation").GetString());
    }

    private Task<MonitoringService> StartAsync() =>
        MonitoringService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Monitoring:Schedules:Enabled"] = "true" }, Start);

    // The hourly check that covers the hour the leads were scored in (at twenty past): it fires at five past the next hour.
    private static Task<IReadOnlyList<MonitoringRunDetail>> HourlyCheckAsync(MonitoringService service, DateTimeOffset hour) =>
        CheckAsync(service, MonitoringRunKinds.Hourly, hour.AddHours(1).AddMinutes(5));

    /// <summary>Moves the clock just past <paramref name="due"/> and waits until the scheduler's <paramref name="kind"/> check stored its runs for the window ending then.</summary>
    internal static async Task<IReadOnlyList<MonitoringRunDetail>> CheckAsync(MonitoringService service, string kind, DateTimeOffset due)
    {
        if (service.Clock.GetUtcNow() < due.AddSeconds(1))
        {
            service.Clock.SetUtcNow(due.AddSeconds(1));
        }

        var store = service.Service.Services.GetRequiredService<MonitoringStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if ((await store.ListRunsAsync(new MonitoringRunFilter(RunningService.ModelName, Kind: kind, From: due, To: due.AddSeconds(1)))).Rows.Count > 0)
            {
                // A check stores every scope's run before it returns; give a second scope a moment.
                await Task.Delay(200);
                return await RunsEndingAsync(service, kind, due);
            }

            Assert.True(DateTime.UtcNow < deadline, $"the scheduler did not run the {kind} check due {due:O} within 30 s; runs: {string.Join("; ", (await store.ListRunsAsync(new MonitoringRunFilter())).Rows.Select(r => $"{r.Run.Kind} {r.Run.WindowTo:O} {r.Run.Status}"))}; log: {string.Join(" | ", service.Service.Logs.Records.Where(r => r.Category.Contains("Quartz", StringComparison.Ordinal) || r.Category.Contains("Monitoring", StringComparison.Ordinal)).Select(r => $"{r.Category}: {r.Message}"))}");
            await Task.Delay(50);
        }
    }

    /// <summary>The stored runs of <paramref name="kind"/> whose window ends at <paramref name="end"/>, oldest first, with their figures.</summary>
    internal static async Task<IReadOnlyList<MonitoringRunDetail>> RunsEndingAsync(MonitoringService service, string kind, DateTimeOffset end)
    {
        var store = service.Service.Services.GetRequiredService<MonitoringStore>();
        var page = await store.ListRunsAsync(new MonitoringRunFilter(RunningService.ModelName, Kind: kind, From: end, To: end.AddSeconds(1)));
        var details = new List<MonitoringRunDetail>();
        foreach (var row in page.Rows.OrderBy(r => r.Id))
        {
            details.Add((await store.GetRunAsync(row.Id))!);
        }

        return details;
    }

    internal static double Figure(MonitoringRunDetail run, string metric, string? feature = null) =>
        run.Figures.SingleOrDefault(f => f.Metric == metric && f.Feature == feature)?.Value
        ?? throw new Xunit.Sdk.XunitException($"run {run.Run.Id} has no figure {metric}{(feature is null ? "" : $" of {feature}")}: {string.Join(", ", run.Figures.Where(f => f.Feature is null).Select(f => f.Metric))}");

    internal static async Task<JsonElement> InvestigateAsync(MonitoringService service, int days)
    {
        using var response = await service.Service.Admin.GetAsync($"/monitoring/investigation?days={days}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"investigation: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
