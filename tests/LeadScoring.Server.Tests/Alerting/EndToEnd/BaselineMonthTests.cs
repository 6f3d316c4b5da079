using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Monitoring;
using LeadScoring.Server.Tests.Monitoring.EndToEnd;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LeadScoring.Server.Tests.Alerting.EndToEnd;

/// <summary>
/// A month of baseline traffic (nothing wrong) through the real service on a fake clock: leads every hour, the CRM's
/// outcomes every day, every hourly and daily check fired by the scheduler and judged by every rule. The alerting
/// must stay quiet: no alert at Warning or above in the month (the README reports the counts).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BaselineMonthTests(TestPackages packages, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
    private const int Days = 30;

    [Fact]
    public async Task A_month_of_baseline_traffic_raises_no_alert_at_warning_or_above()
    {
        await using var service = await MonitoringService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Monitoring:Schedules:Enabled"] = "true" }, Start);
        var traffic = new SimulatedTraffic(Scenario.Baseline, 3_000 * Days, 75, Start, Days, "month");
        var monitoring = service.Service.Services.GetRequiredService<MonitoringStore>();

        for (var hour = Start; hour < Start.AddDays(Days); hour = hour.AddHours(1))
        {
            await traffic.ScoreHourAsync(service.Service, service.Clock, hour);
            await CheckAsync(service, monitoring, MonitoringRunKinds.Hourly, hour.AddHours(1).AddMinutes(5));
            if (hour.Hour == 23)
            {
                await traffic.SendOutcomesAsync(service.Service, service.Clock);
                await CheckAsync(service, monitoring, MonitoringRunKinds.Daily, hour.AddHours(1).AddMinutes(15));
            }
        }

        var runs = await WaitUntilJudgedAsync(service.Service, monitoring);
        var alerts = await AlertWatch.AllAsync(service.Service);
        var judged = runs.Where(r => r.Status == MonitoringRunStatuses.Ok).GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{runs.Count} monitoring runs ({string.Join(", ", judged.Select(j => $"{j.Value} {j.Key} judged"))})");
        foreach (var level in Enum.GetValues<AlertLevel>())
        {
            var of = alerts.Where(a => a.Level == level).ToList();
            output.WriteLine($"{level}: {of.Count} alerts {string.Join("; ", of.Select(a => $"{a.Rule} {a.Subject}: {a.Summary}"))}");
        }

        Assert.True(judged.GetValueOrDefault(MonitoringRunKinds.Hourly) >= 600, $"{judged.GetValueOrDefault(MonitoringRunKinds.Hourly)} hourly windows judged");
        Assert.True(judged.GetValueOrDefault(MonitoringRunKinds.Daily) >= Days, $"{judged.GetValueOrDefault(MonitoringRunKinds.Daily)} daily windows judged");
        Assert.Empty(alerts.Where(a => a.Level >= AlertLevel.Warning).Select(a => $"{a.Rule} {a.Subject} {a.Level}: {a.Summary}"));
    }

    // Moves the clock just past the check's due time and waits (real time) until its run is stored: one scope, the champion.
    private static async Task CheckAsync(MonitoringService service, MonitoringStore store, string kind, DateTimeOffset due)
    {
        if (service.Clock.GetUtcNow() < due.AddSeconds(1))
        {
            service.Clock.SetUtcNow(due.AddSeconds(1));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.ListRunsAsync(new MonitoringRunFilter(RunningService.ModelName, Kind: kind, From: due, To: due.AddSeconds(1)), pageSize: 1)).Rows.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the scheduler did not run the {kind} check due {due:O} within 30 s");
            await Task.Delay(10);
        }
    }

    // Every run, once the evaluator's checkpoint has passed the last one.
    private static async Task<List<MonitoringRun>> WaitUntilJudgedAsync(RunningService service, MonitoringStore store)
    {
        var runs = new List<StoredMonitoringRun>();
        long? before = null;
        do
        {
            var page = await store.ListRunsAsync(new MonitoringRunFilter(), before, MonitoringStore.MaxPageSize);
            runs.AddRange(page.Rows);
            before = page.NextBefore;
        }
        while (before is not null);

        var alerts = service.Services.GetRequiredService<AlertStore>();
        var last = runs.Max(r => r.Id);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await alerts.GetCheckpointAsync(AlertEvaluator.MonitoringCheckpoint) < last)
        {
            Assert.True(DateTime.UtcNow < deadline, "the evaluator did not judge every run within 60 s");
            service.Services.GetRequiredService<LeadScoring.Server.Alerting.AlertEvaluationTrigger>().Pulse();
            await Task.Delay(50);
        }

        return [.. runs.Select(r => r.Run)];
    }
}
