using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Server.Tests.Deployments;
using LeadScoring.Server.Tests.Monitoring;
using LeadScoring.Server.Tests.Monitoring.EndToEnd;
using LeadScoring.Server.Tests.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Alerting.EndToEnd;

/// <summary>
/// The simulator's scenarios through the real service on a fake clock, up to the alert: traffic over HTTP, the checks
/// fired by the real scheduler, the rules judged by the real evaluator, the alert and its deliveries in the real store.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AlertScenarioTests(TestPackages packages, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_broken_pipeline_raises_a_critical_data_quality_alert_at_the_first_hourly_check()
    {
        await using var service = await MonitoringService.StartAsync(packages, Schedules, Start);
        var traffic = new SimulatedTraffic(Scenario.BrokenPipeline, 4_800, 71, Start, 1, "broken");

        await traffic.ScoreHourAsync(service.Service, service.Clock, Start);
        var run = Assert.Single(await MonitoringScenarioTests.CheckAsync(service, MonitoringRunKinds.Hourly, Start.AddHours(1).AddMinutes(5)));

        var alert = await AlertWatch.EventuallyAsync(service.Service, a => a.Rule == "data_quality");
        Assert.Equal(AlertLevel.Critical, alert.Level);
        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Equal($"{RunningService.ModelName}/champion", alert.Subject);
        Assert.Contains("pages_per_visit, time_on_site_sec", alert.Summary, StringComparison.Ordinal);
        Assert.Contains($"\"monitoring_run\":{run.Run.Id}", alert.FiguresJson, StringComparison.Ordinal);
        var everything = await AlertWatch.AllAsync(service.Service);
        Assert.DoesNotContain(everything, a => a.Rule != "data_quality" && a.Level >= AlertLevel.Warning);
        using var listed = await service.Service.Admin.GetAsync("/alerts?state=firing&level=critical");
        Assert.True(listed.IsSuccessStatusCode);
        output.WriteLine(await listed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_source_shift_raises_a_warning_on_lead_source_drift_at_the_daily_check_and_nothing_else()
    {
        await using var service = await MonitoringService.StartAsync(packages, Schedules, Start);
        var traffic = new SimulatedTraffic(Scenario.SourceShift, 3_000, 72, Start, 1, "shift");
        foreach (var hour in traffic.Hours)
        {
            await traffic.ScoreHourAsync(service.Service, service.Clock, hour);
        }

        await MonitoringScenarioTests.CheckAsync(service, MonitoringRunKinds.Daily, Start.AddDays(1).AddMinutes(15));

        var alert = await AlertWatch.EventuallyAsync(service.Service, a => a.Rule == "feature_psi");
        Assert.Equal($"{RunningService.ModelName}/champion/lead_source", alert.Subject);
        Assert.True(alert.Level >= AlertLevel.Warning);
        Assert.StartsWith("lead_source drifted", alert.Summary, StringComparison.Ordinal);
        var everything = await AlertWatch.AllAsync(service.Service);
        Assert.Equal(["feature_psi"], everything.Where(a => a.Level >= AlertLevel.Warning).Select(a => a.Rule));
    }

    [Fact]
    public async Task A_failing_canary_rolled_back_by_its_guardrail_pages_slack_email_and_pagerduty_once_with_a_critical_alert()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var service = await DeploymentService.StartAsync(packages, settings: DeliveryServices.Settings(slack, smtp, pagerDuty), faults: l => l.Faults[2] = _ => new ThrowingScorer());
        var started = await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2, reason = "try v2" });
        var id = started.GetProperty("id").GetInt64();

        await service.ScoreAsync(2000);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);
        Assert.Equal("rolled_back", (await service.GetAsync(id)).GetProperty("deployment").GetProperty("state").GetString());

        var alert = await AlertWatch.EventuallyAsync(service.Service, a => a.Rule == "guardrail_rollback", service.Clock);
        Assert.Equal(AlertLevel.Critical, alert.Level);
        Assert.Equal($"{RunningService.ModelName}/deployment/{id}", alert.Subject);
        Assert.Contains("rolled back by a guardrail", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("error rate", alert.Summary, StringComparison.OrdinalIgnoreCase);

        // Every receiver hears of it once, at once (the evaluator wakes the delivery worker), and more evaluations add nothing.
        await AlertWatch.EventuallyAsync(() => !slack.Requests.IsEmpty && !pagerDuty.Requests.IsEmpty && !smtp.Messages.IsEmpty, "slack, pagerduty and email received the alert");
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(5), service);
        await Task.Delay(500);
        Assert.Contains("guardrail_rollback", Assert.Single(slack.Requests).Body, StringComparison.Ordinal);
        var page = JsonDocument.Parse(Assert.Single(pagerDuty.Requests).Body).RootElement;
        Assert.Equal("trigger", page.GetProperty("event_action").GetString());
        Assert.Equal(alert.DedupKey, page.GetProperty("dedup_key").GetString());
        Assert.Equal("critical", page.GetProperty("payload").GetProperty("severity").GetString());
        Assert.StartsWith("[CRITICAL] guardrail_rollback", Assert.Single(smtp.Messages).Subject, StringComparison.Ordinal);
        var detail = await service.Service.Services.GetRequiredService<AlertStore>().GetAlertAsync(alert.Id);
        output.WriteLine(Assert.Single(slack.Requests).Body);
        output.WriteLine(Assert.Single(pagerDuty.Requests).Body);
        Assert.Equal(["email", "pagerduty", "slack"], detail!.Deliveries.Where(d => d.State == DeliveryState.Sent).Select(d => d.Channel).Order());
    }

    private static Dictionary<string, string?> Schedules => new() { ["LeadScoring:Monitoring:Schedules:Enabled"] = "true" };
}
