using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Application.Tests.Alerting;

/// <summary>The live rules (error rate, P95 latency) and the rollback event rule.</summary>
public sealed class OperationsAlertRulesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public void An_error_rate_above_one_percent_is_critical_and_one_below_clears()
    {
        var failing = Verdicts(new LiveOperations(1_000, 25, 12, Window))[AlertRuleTypes.ErrorRate];
        var fine = Verdicts(new LiveOperations(1_000, 5, 12, Window))[AlertRuleTypes.ErrorRate];

        Assert.True(failing.Breached);
        Assert.Equal(AlertLevel.Critical, failing.Level);
        Assert.Equal("leads/scoring", failing.Subject);
        Assert.Contains("2.5% of scoring requests failed", failing.Summary, StringComparison.Ordinal);
        Assert.False(fine.Breached);
    }

    [Fact]
    public void A_p95_latency_above_500_ms_is_critical()
    {
        Assert.True(Verdicts(new LiveOperations(1_000, 0, 740, Window))[AlertRuleTypes.LatencyP95].Breached);
        Assert.False(Verdicts(new LiveOperations(1_000, 0, 40, Window))[AlertRuleTypes.LatencyP95].Breached);
    }

    [Fact]
    public void Too_few_requests_are_not_enough_to_breach()
    {
        var verdicts = Verdicts(new LiveOperations(10, 5, 900, Window));

        Assert.False(verdicts[AlertRuleTypes.ErrorRate].Breached);
        Assert.False(verdicts[AlertRuleTypes.LatencyP95].Breached);
    }

    [Fact]
    public void Configured_thresholds_replace_the_defaults()
    {
        var settings = new AlertingSettings();
        settings.Rules["latency_p95"] = new AlertRuleSettings { Warning = 100, Critical = 1_000 };
        var rules = settings.ResolveRules(out var problems);
        Assert.Empty(problems);

        var verdict = Assert.Single(OperationsAlertRules.Evaluate(rules, "leads", new LiveOperations(1_000, 0, 400, Window)), v => v.Rule.Type == AlertRuleTypes.LatencyP95);

        Assert.Equal(AlertLevel.Warning, verdict.Level);
        Assert.True(verdict.Breached);
    }

    [Fact]
    public void A_rollback_by_a_guardrail_is_a_critical_alert_about_that_deployment()
    {
        var at = new DateTimeOffset(2030, 6, 1, 10, 0, 0, TimeSpan.Zero);
        var deployment = new Deployment(7, "leads", 1, 2, DeploymentMode.Canary, 0, [], 0, at, false, new string('a', 32), DeploymentState.RolledBack, "error rate 4%", at, "alice", at, at);

        var verdict = Assert.Single(OperationsAlertRules.Evaluate(AlertingSettings.Defaults, deployment, new DeploymentAlert(3, 7, at, "critical", DeploymentNames.RolledBackAlert, "error rate 4% above 1%", "{\"error_rate\":0.04}", null)));

        Assert.Equal(AlertLevel.Critical, verdict.Level);
        Assert.Equal("leads/deployment/7", verdict.Subject);
        Assert.Equal("rolled back by a guardrail: error rate 4% above 1%", verdict.Summary);
        Assert.Empty(OperationsAlertRules.Evaluate(AlertingSettings.Defaults, deployment, new DeploymentAlert(4, 7, at, "info", "something_else", "x", null, null)));
    }

    private static Dictionary<string, RuleVerdict> Verdicts(LiveOperations live) =>
        OperationsAlertRules.Evaluate(AlertingSettings.Defaults, "leads", live).ToDictionary(v => v.Rule.Type);
}
