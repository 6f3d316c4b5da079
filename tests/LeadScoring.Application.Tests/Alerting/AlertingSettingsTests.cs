using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using Microsoft.Extensions.Configuration;

namespace LeadScoring.Application.Tests.Alerting;

/// <summary>Rules and routing from configuration: the seed's defaults, overrides, rules of one's own, and refusals naming the key.</summary>
public sealed class AlertingSettingsTests
{
    [Fact]
    public void The_defaults_are_the_seeds()
    {
        var rules = new AlertingSettings().ResolveRules(out var problems).ToDictionary(r => r.Id);

        Assert.Empty(problems);
        Assert.Equal((0.25, 0.5), (rules["feature_psi"].Warning!.Value, rules["feature_psi"].Critical!.Value));
        Assert.Equal(500, rules["latency_p95"].Critical);
        Assert.Equal(0.01, rules["error_rate"].Critical);
        Assert.Equal(0.10, rules["conversion_drop"].Warning);
        Assert.Equal(AlertLevel.Critical, rules["guardrail_rollback"].Level);
        Assert.Equal(AlertLevel.Critical, rules["data_quality"].Level);
        Assert.Equal(AlertLevel.Info, rules["retraining_request"].Level);
        Assert.Equal(AlertRuleTypes.All.Count, rules.Count);
    }

    [Fact]
    public void Configuration_overrides_a_rule_adds_a_model_scoped_one_and_routes_levels()
    {
        var settings = Bind(new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Rules:feature_psi:Warning"] = "0.2",
            ["LeadScoring:Alerting:Rules:vip_psi:Type"] = "feature_psi",
            ["LeadScoring:Alerting:Rules:vip_psi:Model"] = "vip",
            ["LeadScoring:Alerting:Rules:vip_psi:Critical"] = "0.3",
            ["LeadScoring:Alerting:Routing:Warning:0"] = "email",
        });

        var rules = settings.ResolveRules(out var problems).ToDictionary(r => r.Id);

        Assert.Empty(problems);
        Assert.Equal(0.2, rules["feature_psi"].Warning);
        Assert.Equal(("vip", 0.25, 0.3), (rules["vip_psi"].Model, rules["vip_psi"].Warning!.Value, rules["vip_psi"].Critical!.Value));
        Assert.Equal(["email"], settings.Routing.ChannelsOf(AlertLevel.Warning));
        Assert.Equal(["slack", "email", "pagerduty"], settings.Routing.ChannelsOf(AlertLevel.Critical));
        Assert.Empty(settings.Routing.ChannelsOf(AlertLevel.Info));
    }

    [Fact]
    public void Bad_rules_and_routes_are_refused_naming_their_keys()
    {
        var settings = Bind(new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Rules:feature_psi:Critical"] = "0.1",
            ["LeadScoring:Alerting:Rules:mine:Warning"] = "1",
            ["LeadScoring:Alerting:Rules:error_rate:Window"] = "daily",
            ["LeadScoring:Alerting:Routing:Critical:0"] = "sms",
        });

        settings.ResolveRules(out var problems);
        var all = problems.Concat(settings.Routing.Problems()).ToList();

        Assert.Contains(all, p => p.StartsWith("LeadScoring:Alerting:Rules:feature_psi:Critical must not be below Warning", StringComparison.Ordinal));
        Assert.Contains(all, p => p.StartsWith("LeadScoring:Alerting:Rules:mine:Type must be one of", StringComparison.Ordinal));
        Assert.Contains(all, p => p.StartsWith("LeadScoring:Alerting:Rules:error_rate:Window must be one of live", StringComparison.Ordinal));
        Assert.Contains(all, p => p.StartsWith("LeadScoring:Alerting:Routing:Critical has unknown channel 'sms'", StringComparison.Ordinal));
    }

    [Fact]
    public void Routing_keeps_only_configured_channels()
    {
        var policy = AlertPolicy.From(new AlertingSettings(), channel => channel != "pagerduty");

        Assert.Equal(["slack", "email"], policy.ChannelsOf(AlertLevel.Critical));
        Assert.Equal(["slack"], policy.ChannelsOf(AlertLevel.Warning));
    }

    private static AlertingSettings Bind(Dictionary<string, string?> values)
    {
        var settings = new AlertingSettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(AlertingSettings.SectionName).Bind(settings);
        return settings;
    }
}
