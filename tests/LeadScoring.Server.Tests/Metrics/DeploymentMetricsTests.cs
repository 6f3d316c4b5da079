using LeadScoring.Server.Tests.Deployments;
using LeadScoring.Server.Tests.Serving;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Metrics;

/// <summary>/metrics follows a deployment: what is served, the challenger's failures, and the guardrails' rollback.</summary>
[Collection(MetricsCollection.Name)]
public sealed class DeploymentMetricsTests(TestPackages packages)
{
    [Fact]
    public async Task A_canary_shows_as_active_its_challenger_errors_count_and_its_rollback_is_counted_by_rule()
    {
        await using var service = await DeploymentService.StartAsync(packages, faults: l => l.Faults[2] = _ => new ThrowingScorer());
        var single = await ScrapeAsync(service);
        var started = await service.PostAsync("/deployments", new { model = RunningService.ModelName, mode = "canary", challenger_version = 2, reason = "try v2" });

        await service.ScoreAsync(2000);
        var duringText = await service.Service.Client.GetStringAsync("/metrics");
        var during = PrometheusText.Parse(duringText);
        var (promtoolExit, promtoolOutput) = await Promtool.CheckMetricsAsync(duringText);
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);
        var after = await ScrapeAsync(service);

        var id = started.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(promtoolExit == 0, $"promtool check metrics exited {promtoolExit}: {promtoolOutput}");
        Assert.Equal(0, single.Sum("leadscoring_deployment_active"));
        Assert.Equal(1, single.Sum("leadscoring_serving_models", ("model", RunningService.ModelName), ("version", "1"), ("arm", "champion")));
        Assert.Equal(1, during.Sum("leadscoring_deployment_active", ("deployment_id", id), ("mode", "canary")));
        Assert.Equal(0.1, during.Sum("leadscoring_deployment_challenger_share", ("deployment_id", id)));
        Assert.Equal(1, during.Sum("leadscoring_serving_models", ("version", "2"), ("arm", "challenger")));
        var challengerErrors = during.Sum("leadscoring_scoring_challenger_errors_total", ("version", "2"), ("arm", "challenger"));
        Assert.InRange(challengerErrors, 100, 400);
        // Every lead the challenger failed was answered by the champion and counted in its scores.
        Assert.Equal(2000, during.Sum("leadscoring_scoring_score_count", ("version", "1"), ("arm", "champion")));
        Assert.Equal(1, after.Sum("leadscoring_deployment_rolled_back_total", ("rule", "error_rate")));
        Assert.Equal(0, after.Sum("leadscoring_deployment_active"));
        Assert.Equal(0, after.Sum("leadscoring_serving_models", ("version", "2")));
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(DeploymentService service) =>
        PrometheusText.Parse(await service.Service.Client.GetStringAsync("/metrics"));
}
