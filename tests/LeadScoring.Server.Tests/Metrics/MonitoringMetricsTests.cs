using LeadScoring.Application.Monitoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Monitoring;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Metrics;

/// <summary>/metrics shows the latest scheduled monitoring run's figures as gauges and counts runs by kind and status.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MonitoringMetricsTests(TestPackages packages)
{
    [Fact]
    public async Task A_scheduled_run_sets_the_drift_and_performance_gauges_and_a_manual_run_only_counts()
    {
        await using var service = await MonitoringService.StartAsync(packages);
        var before = PrometheusText.Parse(await service.Service.Client.GetStringAsync("/metrics"));
        await service.ScoreAsync(400, seed: 52, Scenario.SourceShift);
        service.Clock.Advance(TimeSpan.FromMinutes(30));
        var runner = service.Service.Services.GetRequiredService<IScheduledMonitoring>();
        await runner.RunAsync("hourly", MonitoringService.Start.AddMinutes(30), CancellationToken.None);
        await service.Service.Services.GetRequiredService<MonitoringRunner>().RunAsync(
            new MonitoringRunRequest(RunningService.ModelName, MonitoringService.Start.AddHours(-1), MonitoringService.Start.AddHours(1)));

        var text = await service.Service.Client.GetStringAsync("/metrics");
        var after = PrometheusText.Parse(text);
        var (promtoolExit, promtoolOutput) = await Promtool.CheckMetricsAsync(text);

        Assert.True(promtoolExit == 0, $"promtool check metrics exited {promtoolExit}: {promtoolOutput}");
        Assert.Equal(0, before.Sum("leadscoring_monitoring_runs_total"));
        Assert.Equal(1, after.Sum("leadscoring_monitoring_runs_total", ("kind", "hourly"), ("status", "ok")));
        Assert.Equal(1, after.Sum("leadscoring_monitoring_runs_total", ("kind", "manual"), ("status", "ok")));
        var scope = new[] { ("model", RunningService.ModelName), ("version", "1"), ("arm", "champion"), ("kind", "hourly") };
        Assert.True(after.Sum("leadscoring_monitoring_psi", [.. scope, ("feature", "lead_source")]) > 0.1, "a source shift moves lead_source's PSI past its warning level");
        Assert.True(after.Sum("leadscoring_monitoring_drifted_features", scope) >= 1);
        Assert.InRange(after.Sum("leadscoring_monitoring_estimated_roc_auc", scope), 0.5, 1);
        Assert.Equal(0, after.Sum("leadscoring_monitoring_realised_roc_auc"));
        // The manual run's figures stay out of the gauges: one series per scheduled scope and feature.
        Assert.Equal(11, after.Count(s => s.Name == "leadscoring_monitoring_psi"));
        Assert.Equal(0, after.Sum("leadscoring_monitoring_psi", ("kind", "manual")));
    }
}
