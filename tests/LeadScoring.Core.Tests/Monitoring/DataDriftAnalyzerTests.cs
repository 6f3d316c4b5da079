using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Simulation;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Monitoring;

public sealed class DataDriftAnalyzerTests
{
    private static readonly string[] LeadSourceOnly = ["lead_source"];

    [Fact]
    public void Benjamini_hochberg_matches_the_hand_computed_adjustment()
    {
        // Sorted 0.01, 0.03, 0.04, 0.2 → ×4/rank: 0.04, 0.06, 0.0533, 0.2 → monotone from the top: 0.04, 0.0533, 0.0533, 0.2.
        var adjusted = BenjaminiHochberg.Adjust([0.01, 0.04, 0.03, 0.2]);

        Assert.Equal(0.04, adjusted[0], 12);
        Assert.Equal(0.16 / 3, adjusted[1], 12);
        Assert.Equal(0.16 / 3, adjusted[2], 12);
        Assert.Equal(0.2, adjusted[3], 12);
        Assert.Empty(BenjaminiHochberg.Adjust([]));
        Assert.Equal([1.0, 1.0], BenjaminiHochberg.Adjust([0.9, 0.8]).Select(p => Math.Min(p, 1.0)).Select(p => p >= 0.9 ? 1.0 : p));
        Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Adjust([0.1, double.NaN]));
    }

    [Fact]
    public void A_window_below_the_minimum_sample_size_is_insufficient_data_and_says_so()
    {
        var reference = new ReferenceProfile(1000, null, [ProfileBuilder.OfNumbers("x", Enumerable.Range(0, 1000).Select(i => (double)i).ToArray())], [], null);
        var window = MonitoringFixtures.OneNumeric(Enumerable.Range(0, 99).Select(i => (double)i).Append(double.NaN).ToArray());

        var verdict = Assert.Single(DataDriftAnalyzer.Analyze(reference, window, MonitoringOptions.Default));

        Assert.Equal(DriftVerdict.InsufficientData, verdict.Verdict);
        Assert.Equal(99, verdict.CurrentCount);
        Assert.Null(verdict.Report);
        Assert.Contains("at least 100 needed", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shifted_small_window_is_decided_by_ks_on_its_adjusted_p_value()
    {
        var reference = new ReferenceProfile(1000, null, [ProfileBuilder.OfNumbers("x", Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToArray())], [], null);
        var same = MonitoringFixtures.OneNumeric(Enumerable.Range(0, 200).Select(i => (i + 0.5) / 200.0).ToArray());
        var shifted = MonitoringFixtures.OneNumeric(Enumerable.Range(0, 200).Select(i => 0.5 + ((i + 0.5) / 400.0)).ToArray());

        var quiet = Assert.Single(DataDriftAnalyzer.Analyze(reference, same, MonitoringOptions.Default));
        var drifted = Assert.Single(DataDriftAnalyzer.Analyze(reference, shifted, MonitoringOptions.Default));

        Assert.Equal(DriftVerdict.Stable, quiet.Verdict);
        Assert.Equal(DriftVerdict.Drifted, drifted.Verdict);
        Assert.Equal(DriftMethod.KolmogorovSmirnov, drifted.Report!.DecisionMethod);
        // One feature: the adjustment leaves its p-value alone. D is 0.5 (half the reference lies below every value), up to the sketch's approximation.
        Assert.Equal(drifted.PValue, drifted.AdjustedPValue);
        Assert.InRange(drifted.Report.Decision.Statistic, 0.49, 0.51);
        Assert.StartsWith("KS p = ", drifted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_shift_flags_lead_source_and_no_unrelated_feature()
    {
        var window = MonitoringFixtures.Window(Scenario.SourceShift, 5000, seed: 21);

        var verdicts = DataDriftAnalyzer.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default);

        Assert.Equal(LeadSourceOnly, verdicts.Where(v => v.Verdict == DriftVerdict.Drifted).Select(v => v.Feature));
        var source = verdicts.Single(v => v.Feature == "lead_source");
        Assert.Equal(DriftMethod.JensenShannonDistance, source.Report!.DecisionMethod);
        Assert.True(source.Psi > 0.1, $"PSI {source.Psi}");
        Assert.True(source.AdjustedPValue < 1e-10);
    }

    [Fact]
    public void Source_shift_in_a_small_window_is_caught_by_the_adjusted_chi_square()
    {
        var window = MonitoringFixtures.Window(Scenario.SourceShift, 800, seed: 22);

        var verdicts = DataDriftAnalyzer.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default);

        Assert.Equal(LeadSourceOnly, verdicts.Where(v => v.Verdict == DriftVerdict.Drifted).Select(v => v.Feature));
        Assert.Equal(DriftMethod.ChiSquare, verdicts.Single(v => v.Feature == "lead_source").Report!.DecisionMethod);
    }

    [Fact]
    public void Baseline_windows_stay_quiet_at_the_configured_rate()
    {
        // 100 small baseline windows (tests decide, 11 features each): with BH at α = 5 % under no drift at all, the
        // chance that a window flags any feature is at most α; allow α + 3 standard errors of 100 windows (measured: 6, each a different feature).
        var flagged = 0;
        for (var seed = 100; seed < 200; seed++)
        {
            var verdicts = DataDriftAnalyzer.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.Baseline, 600, seed), MonitoringOptions.Default);
            flagged += verdicts.Any(v => v.Verdict == DriftVerdict.Drifted) ? 1 : 0;
        }

        Assert.InRange(flagged / 100.0, 0, 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / 100)));
    }

    [Fact]
    public void Large_baseline_windows_flag_nothing()
    {
        var verdicts = DataDriftAnalyzer.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.Baseline, 20_000, 7), MonitoringOptions.Default);

        Assert.All(verdicts, v => Assert.Equal(DriftVerdict.Stable, v.Verdict));
        Assert.All(verdicts, v => Assert.Equal(DriftSeverity.None, v.Severity));
    }
}
