using LeadScoring.Application.Retraining;
using Microsoft.Extensions.Configuration;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>Retraining settings from configuration: the issue's defaults, and every problem naming its key.</summary>
public sealed class RetrainingSettingsTests
{
    [Fact]
    public void The_defaults_are_the_issues_and_usable()
    {
        var settings = Bind([]);

        Assert.Empty(settings.Problems());
        Assert.Equal((TimeSpan.FromDays(183), 10_000), (settings.Data.Lookback, settings.Data.MinLabelled));
        Assert.Equal((50, 5, 1), (settings.Search.Trials, settings.Search.Folds, settings.Search.Threads));
        Assert.Empty(settings.Search.Learners);
        Assert.Equal((0.02, 0.05, 0.0), (settings.Gate.MinRelativeAucGain, settings.Gate.MinCapturedGain, settings.Gate.EceTolerance));
        Assert.Equal((TimeSpan.FromDays(7), true), (settings.Promotion.ShadowDuration, settings.Promotion.RequireApproval));
        Assert.Equal((0.25, TimeSpan.FromDays(90)), (settings.Triggers.DriftPsi, settings.Triggers.WeeklyFor));
    }

    [Fact]
    public void Configured_values_bind_and_learners_are_checked_by_name()
    {
        var settings = Bind(new()
        {
            ["LeadScoring:Retraining:Search:Trials"] = "8",
            ["LeadScoring:Retraining:Search:Learners:0"] = "lightgbm",
            ["LeadScoring:Retraining:Search:Learners:1"] = "logistic-regression",
            ["LeadScoring:Retraining:Triggers:Weekly"] = "30 2 * * 2",
            ["LeadScoring:Retraining:Promotion:ShadowDuration"] = "3.00:00:00",
        });

        Assert.Empty(settings.Problems());
        Assert.Equal(8, settings.Search.Trials);
        Assert.Equal(["lightgbm", "logistic-regression"], settings.Search.Learners);
        Assert.Equal(TimeSpan.FromDays(3), settings.Promotion.ShadowDuration);
    }

    [Fact]
    public void Every_bad_key_is_named_with_what_it_must_be()
    {
        var settings = Bind(new()
        {
            ["LeadScoring:Retraining:Search:Trials"] = "0",
            ["LeadScoring:Retraining:Search:Folds"] = "1",
            ["LeadScoring:Retraining:Search:Learners:0"] = "xgboost",
            ["LeadScoring:Retraining:Data:MinLabelled"] = "10",
            ["LeadScoring:Retraining:Gate:MinRelativeAucGain"] = "1.5",
            ["LeadScoring:Retraining:Triggers:Weekly"] = "every monday",
            ["LeadScoring:Retraining:Triggers:Monthly"] = " ",
            ["LeadScoring:Retraining:Triggers:DriftPsi"] = "0",
        });

        var problems = settings.Problems();

        Assert.Equal(8, problems.Count);
        Assert.Contains("LeadScoring:Retraining:Search:Trials must be between 1 and 1000 (got 0)", problems);
        Assert.Contains("LeadScoring:Retraining:Search:Folds must be between 2 and 20 (got 1)", problems);
        Assert.Contains("LeadScoring:Retraining:Data:MinLabelled must be at least 100 (got 10)", problems);
        Assert.Contains("LeadScoring:Retraining:Gate:MinRelativeAucGain must be in [0, 1) (got 1.5)", problems);
        Assert.Contains("LeadScoring:Retraining:Triggers:DriftPsi must be more than 0 (got 0)", problems);
        Assert.Contains(problems, p => p.StartsWith("LeadScoring:Retraining:Triggers:Weekly is not a cron expression ('every monday': ", StringComparison.Ordinal));
        Assert.Contains("LeadScoring:Retraining:Triggers:Monthly must be a cron expression (5 fields, UTC)", problems);
        Assert.Contains("LeadScoring:Retraining:Search:Learners has 'xgboost'; known: lightgbm, fasttree, logistic-regression", problems);
    }

    [Fact]
    public void A_cron_with_seconds_is_refused_since_the_schedule_is_five_fields()
    {
        var settings = new RetrainingSettings();
        settings.Triggers.Weekly = "0 0 3 * * 1";

        Assert.StartsWith("LeadScoring:Retraining:Triggers:Weekly is not a cron expression ('0 0 3 * * 1': ", Assert.Single(settings.Problems()), StringComparison.Ordinal);
    }

    private static RetrainingSettings Bind(Dictionary<string, string?> values)
    {
        var settings = new RetrainingSettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(RetrainingSettings.SectionName).Bind(settings);
        return settings;
    }
}
