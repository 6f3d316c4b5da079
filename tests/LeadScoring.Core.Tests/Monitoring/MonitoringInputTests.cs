using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Core.Tests.Monitoring;

public sealed class MonitoringInputTests
{
    [Fact]
    public void A_column_of_the_wrong_length_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => MonitoringFixtures.OneNumeric([1, 2, 3], scores: [0.1, 0.2]));

        Assert.Contains("converted has 3 entries but the window has 2 scores", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_feature_without_a_column_is_refused()
    {
        var window = MonitoringFixtures.Window(Scenario.Baseline, 10, 1);
        var categorical = window.Categorical.Where(kv => kv.Key != "country").ToDictionary(kv => kv.Key, kv => kv.Value);

        var error = Assert.Throws<ArgumentException>(() => new MonitoringWindowData(window.Schema, window.Numeric, categorical,
            window.Scores, window.Bands, window.Converted, window.Revenue, window.ScoredAt));

        Assert.Contains("categorical[country] is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_by_name()
    {
        var window = MonitoringFixtures.Window(Scenario.Baseline, 10, 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            WindowMonitor.Analyze(MonitoringFixtures.Reference, window, new MonitoringOptions { MaxMissingRateIncrease = 1.5 }));

        Assert.Equal(nameof(MonitoringOptions.MaxMissingRateIncrease), error.ParamName);
    }
}
