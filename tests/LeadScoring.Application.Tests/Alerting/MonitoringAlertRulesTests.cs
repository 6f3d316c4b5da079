using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Tests.Alerting;

/// <summary>The rules judged on a monitoring run's figures: what breaches, at which level, what clears, and what is not judged at all.</summary>
public sealed class MonitoringAlertRulesTests
{
    private static readonly DateTimeOffset End = new(2030, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<AlertRule> Rules = AlertingSettings.Defaults;

    [Fact]
    public void A_drifted_feature_above_the_psi_thresholds_breaches_at_warning_then_critical_and_a_stable_one_clears()
    {
        var run = Run(
            "daily",
            Drift("lead_source", 0.31, "drifted"),
            Drift("country", 0.62, "drifted"),
            Drift("total_visits", 0.02, "stable"));

        var verdicts = MonitoringAlertRules.Evaluate(Rules, run).Where(v => v.Rule.Type == AlertRuleTypes.FeaturePsi).ToDictionary(v => v.Subject);

        Assert.Equal(3, verdicts.Count);
        Assert.True(verdicts["leads/champion/lead_source"].Breached);
        Assert.Equal(AlertLevel.Warning, verdicts["leads/champion/lead_source"].Level);
        Assert.Equal(AlertLevel.Critical, verdicts["leads/champion/country"].Level);
        Assert.False(verdicts["leads/champion/total_visits"].Breached);
        Assert.Contains("lead_source drifted", verdicts["leads/champion/lead_source"].Summary, StringComparison.Ordinal);
        Assert.Equal(0.31, verdicts["leads/champion/lead_source"].Figures["psi"]);
    }

    [Fact]
    public void A_high_psi_that_its_drift_test_calls_stable_does_not_breach_and_an_undecided_one_is_not_judged()
    {
        var run = Run("daily", Drift("lead_source", 0.4, "stable"), Drift("country", 0.9, "insufficient_data"));

        var verdicts = MonitoringAlertRules.Evaluate(Rules, run).Where(v => v.Rule.Type == AlertRuleTypes.FeaturePsi).ToList();

        var only = Assert.Single(verdicts);
        Assert.Equal("leads/champion/lead_source", only.Subject);
        Assert.False(only.Breached);
    }

    [Fact]
    public void A_rule_reads_only_runs_of_its_window_so_an_hourly_run_never_judges_drift_and_a_daily_run_never_judges_quality()
    {
        var figures = new[] { Drift("lead_source", 0.9, "drifted"), Quality(failed: true, "total_visits") }.SelectMany(f => f).ToArray();

        var hourly = MonitoringAlertRules.Evaluate(Rules, Run("hourly", figures));
        var daily = MonitoringAlertRules.Evaluate(Rules, Run("daily", figures));

        Assert.Equal([AlertRuleTypes.DataQuality], hourly.Select(v => v.Rule.Type).Distinct());
        Assert.DoesNotContain(daily, v => v.Rule.Type == AlertRuleTypes.DataQuality);
        Assert.Contains(daily, v => v.Rule.Type == AlertRuleTypes.FeaturePsi && v.Breached);
    }

    [Fact]
    public void A_failed_quality_check_is_critical_and_names_the_features()
    {
        var verdict = Assert.Single(MonitoringAlertRules.Evaluate(Rules, Run("hourly", Quality(failed: true, "total_visits", "country"))));

        Assert.True(verdict.Breached);
        Assert.Equal(AlertLevel.Critical, verdict.Level);
        Assert.Contains("total_visits, country", verdict.Summary, StringComparison.Ordinal);
        Assert.False(Assert.Single(MonitoringAlertRules.Evaluate(Rules, Run("hourly", Quality(failed: false)))).Breached);
    }

    [Fact]
    public void Runs_without_a_verdict_are_judged_by_no_rule()
    {
        var figures = Quality(failed: true, "total_visits");

        Assert.Empty(MonitoringAlertRules.Evaluate(Rules, Run("hourly", MonitoringRunStatuses.InsufficientData, figures)));
        Assert.Empty(MonitoringAlertRules.Evaluate(Rules, Run("hourly", MonitoringRunStatuses.Failed, figures)));
    }

    [Fact]
    public void Performance_is_judged_only_on_mature_labels_and_breaches_beyond_the_tolerance()
    {
        MonitoringFigure[] Performance(bool mature, double auc, int labelled) =>
            [new("labels_mature", null, mature ? 1 : 0), new("labelled", null, labelled), new(mature ? "roc_auc" : "partial_roc_auc", null, auc), new("reference_roc_auc", null, 0.85)];

        Verdict(AlertRuleTypes.PerformanceDrop, Performance(mature: false, 0.6, 5_000), expected: null);
        Verdict(AlertRuleTypes.PerformanceDrop, Performance(mature: true, 0.6, 100), expected: null);
        Assert.True(Verdict(AlertRuleTypes.PerformanceDrop, Performance(mature: true, 0.78, 5_000), expected: true)!.Figures["auc_drop"] is double drop && Math.Abs(drop - 0.07) < 1e-9);
        Verdict(AlertRuleTypes.PerformanceDrop, Performance(mature: true, 0.83, 5_000), expected: false);
    }

    [Fact]
    public void A_conversion_drop_must_be_both_above_ten_percent_and_significant()
    {
        MonitoringFigure[] Conversion(double rate, int labelled) =>
            [new("labels_mature", null, 1), new("labelled", null, labelled), new("positive_rate", null, rate), new("reference_positive_rate", null, 0.30)];

        // 25 % against 30 % is a 16.7 % drop: on 300 leads p ≈ 0.03 (chance), on 5,000 leads p < 1e-14.
        Verdict(AlertRuleTypes.ConversionDrop, Conversion(0.25, 300), expected: false);
        var significant = Verdict(AlertRuleTypes.ConversionDrop, Conversion(0.25, 5_000), expected: true)!;
        Assert.Equal(AlertLevel.Warning, significant.Level);
        Assert.True((double)significant.Figures["p_value"]! < 1e-10);
        Verdict(AlertRuleTypes.ConversionDrop, Conversion(0.28, 50_000), expected: false);
    }

    [Fact]
    public void Retraining_is_requested_at_info_on_dataset_drift()
    {
        var verdict = Verdict(AlertRuleTypes.RetrainingRequest, [new("dataset_drift", null, 1), new("drifted_features", null, 4)], expected: true)!;

        Assert.Equal(AlertLevel.Info, verdict.Level);
        Assert.Contains("dataset drift (4 features drifted)", verdict.Summary, StringComparison.Ordinal);
        Verdict(AlertRuleTypes.RetrainingRequest, [new("dataset_drift", null, 0)], expected: false);
    }

    [Fact]
    public void A_rule_scoped_to_a_model_judges_only_that_model_and_a_disabled_rule_nothing()
    {
        var settings = new AlertingSettings();
        settings.Rules["feature_psi"] = new AlertRuleSettings { Model = "other" };
        settings.Rules["data_quality"] = new AlertRuleSettings { Enabled = false };
        var rules = settings.ResolveRules(out var problems);
        Assert.Empty(problems);

        Assert.DoesNotContain(MonitoringAlertRules.Evaluate(rules, Run("daily", Drift("lead_source", 0.9, "drifted"))), v => v.Rule.Type == AlertRuleTypes.FeaturePsi);
        Assert.Empty(MonitoringAlertRules.Evaluate(rules, Run("hourly", Quality(failed: true, "x"))));
    }

    private static RuleVerdict? Verdict(string type, MonitoringFigure[] figures, bool? expected)
    {
        var verdict = MonitoringAlertRules.Evaluate(Rules, Run("daily", figures)).SingleOrDefault(v => v.Rule.Type == type);
        Assert.Equal(expected, verdict?.Breached);
        return verdict;
    }

    private static MonitoringFigure[] Drift(string feature, double psi, string verdict) =>
        [new("psi", feature, psi), new("drifted", feature, verdict == "drifted" ? 1 : 0, Verdict: verdict)];

    private static MonitoringFigure[] Quality(bool failed, params string[] features) =>
        [new("quality_failed_features", null, features.Length, Verdict: failed ? "failed" : "ok"), .. features.Select(f => new MonitoringFigure("quality", f, 1, Verdict: "failed"))];

    private static MonitoringRunDetail Run(string kind, params MonitoringFigure[][] figures) => Run(kind, MonitoringRunStatuses.Ok, figures.SelectMany(f => f).ToArray());

    private static MonitoringRunDetail Run(string kind, MonitoringFigure[] figures) => Run(kind, MonitoringRunStatuses.Ok, figures);

    private static MonitoringRunDetail Run(string kind, string status, MonitoringFigure[] figures) =>
        new(new StoredMonitoringRun(7, new MonitoringRun(kind, "leads", 3, "champion", End.AddDays(-1), End, End, End, status, "{}")), [new("leads", null, 2_000), .. figures]);
}
