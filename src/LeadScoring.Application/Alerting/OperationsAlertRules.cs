using System.Globalization;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Application.Alerting;

/// <summary>Scoring requests over the last minutes as this service counted them: how many, how many failed, how slow.</summary>
/// <param name="Requests">Scoring requests answered in the window.</param>
/// <param name="Errors">Of those, answered with a server error (5xx).</param>
/// <param name="LatencyP95Milliseconds">The 95th percentile of their latency; null without requests.</param>
/// <param name="Window">The window's length.</param>
public sealed record LiveOperations(long Requests, long Errors, double? LatencyP95Milliseconds, TimeSpan Window);

/// <summary>
/// The operations rules (error rate, P95 latency), judged every evaluation interval on the live figures of the model
/// the service scores with, and the event rules (a guardrail's rollback) judged on the deployments' alerts.
/// </summary>
public static class OperationsAlertRules
{
    /// <summary>The verdicts of the live rules for <paramref name="model"/>; too few requests clear them (nothing to judge on).</summary>
    public static IReadOnlyList<RuleVerdict> Evaluate(IEnumerable<AlertRule> rules, string model, LiveOperations live)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(live);
        var verdicts = new List<RuleVerdict>();
        var minutes = live.Window.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
        foreach (var rule in rules.Where(r => r.AppliesTo(model) && r.Window == AlertWindows.Live))
        {
            var enough = live.Requests >= Math.Max(1, rule.MinimumCount);
            var values = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["requests"] = live.Requests,
                ["errors"] = live.Errors,
                ["latency_p95_ms"] = live.LatencyP95Milliseconds,
                ["window_minutes"] = live.Window.TotalMinutes,
            };
            if (rule.Type == AlertRuleTypes.ErrorRate)
            {
                var rate = live.Requests > 0 ? (double)live.Errors / live.Requests : 0;
                var level = enough ? rule.LevelOf(rate) : null;
                values["error_rate"] = rate;
                values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Critical);
                var summary = level is { } l
                    ? $"{model}: {rate:0.##%} of scoring requests failed in the last {minutes} minutes ({live.Errors:N0} of {live.Requests:N0}; limit {rule.ThresholdOf(l):0.##%})"
                    : $"{model}: scoring error rate {rate:0.##%} over the last {minutes} minutes ({live.Requests:N0} requests)";
                verdicts.Add(new RuleVerdict(rule, $"{model}/scoring", model, level is not null, level ?? AlertLevel.Critical, summary, values));
            }
            else if (rule.Type == AlertRuleTypes.LatencyP95)
            {
                var level = enough && live.LatencyP95Milliseconds is { } p95 ? rule.LevelOf(p95) : null;
                values["threshold"] = rule.ThresholdOf(level ?? AlertLevel.Critical);
                var summary = level is { } l
                    ? $"{model}: P95 scoring latency {live.LatencyP95Milliseconds:0} ms over the last {minutes} minutes, above {rule.ThresholdOf(l):0} ms ({live.Requests:N0} requests)"
                    : $"{model}: P95 scoring latency {live.LatencyP95Milliseconds?.ToString("0", CultureInfo.InvariantCulture) ?? "-"} ms over the last {minutes} minutes ({live.Requests:N0} requests)";
                verdicts.Add(new RuleVerdict(rule, $"{model}/scoring", model, level is not null, level ?? AlertLevel.Critical, summary, values));
            }
        }

        return verdicts;
    }

    /// <summary>The verdicts of the event rules on a deployment's alert (a rollback by a guardrail opens a Critical alert).</summary>
    public static IReadOnlyList<RuleVerdict> Evaluate(IEnumerable<AlertRule> rules, Deployment deployment, DeploymentAlert alert)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Kind != DeploymentNames.RolledBackAlert)
        {
            return [];
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["deployment"] = deployment.Id,
            ["mode"] = DeploymentNames.Of(deployment.Mode),
            ["champion_version"] = deployment.ChampionVersion,
            ["challenger_version"] = deployment.ChallengerVersion,
            ["reason"] = deployment.Reason,
            ["rolled_back_at"] = alert.At,
        };
        if (alert.FiguresJson is { Length: > 0 } json)
        {
            values["guardrail_figures"] = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
        }

        return rules.Where(r => r.AppliesTo(deployment.ModelName) && r.Type == AlertRuleTypes.GuardrailRollback)
            .Select(rule => new RuleVerdict(
                rule, $"{deployment.ModelName}/deployment/{deployment.Id}", deployment.ModelName, true, rule.Level,
                $"rolled back by a guardrail: {alert.Summary}", values))
            .ToList();
    }
}
