using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Core.Tests.Monitoring;

public sealed class DataQualityAnalyzerTests
{
    private static readonly string[] BrokenFeatures = ["time_on_site_sec", "pages_per_visit"];

    [Fact]
    public void Rates_match_a_hand_computed_window()
    {
        // Reference: 0 twice, then 1..8, min 0, max 8, no missing; the first decile edge is 0, so its zero rate is exactly 2/10.
        var referenceValues = new double[] { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
        var reference = new ReferenceProfile(10, null, [ProfileBuilder.OfNumbers("x", referenceValues)], [], null);
        // Window: 2 missing of 10; of 8 present, 4 zeros and 2 outside [0, 8] (−1 and 9).
        var window = MonitoringFixtures.OneNumeric([0, 0, 0, 0, double.NaN, double.NaN, -1, 9, 3, 4]);

        var quality = Assert.Single(DataQualityAnalyzer.Analyze(reference, window, MonitoringOptions.Default));

        Assert.Equal(0.2, DataQualityAnalyzer.ReferenceZeroRate(reference.Numeric[0]), 12);
        Assert.Equal(0.2, quality.MissingRate, 12);
        Assert.Equal(0, quality.ReferenceMissingRate);
        Assert.Equal(0.5, quality.ZeroRate!.Value, 12);
        Assert.Equal(0.25, quality.OutOfRangeRate!.Value, 12);
        Assert.Equal(QualityVerdict.Failed, quality.Verdict);
        // Missing and out of range fail; 4 zeros of 8 against 20 % is within four standard errors of chance on 8 values.
        Assert.Equal(2, quality.Problems.Count);
        Assert.Contains("missing rate 20.0 % against 0.0 %", quality.Problems[0], StringComparison.Ordinal);
        Assert.Contains("outside the reference range", quality.Problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_rate_increase_chance_explains_on_a_small_window_passes_and_the_same_increase_on_a_large_window_fails()
    {
        // Reference zero rate 20 %; windows at 50 % zeros: on 8 values four standard errors are ±57 %, on 800 ±5.7 %.
        var reference = new ReferenceProfile(10, null, [ProfileBuilder.OfNumbers("x", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8])], [], null);
        double[] Half(int n) => [.. Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0.0 : 3.0)];

        var small = Assert.Single(DataQualityAnalyzer.Analyze(reference, MonitoringFixtures.OneNumeric(Half(8)), MonitoringOptions.Default));
        var large = Assert.Single(DataQualityAnalyzer.Analyze(reference, MonitoringFixtures.OneNumeric(Half(800)), MonitoringOptions.Default));

        Assert.Equal(QualityVerdict.Ok, small.Verdict);
        Assert.Equal(QualityVerdict.Failed, large.Verdict);
        Assert.Contains("zero rate 50.0 % against 20.0 % in the reference (limit +10.0 %)", Assert.Single(large.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Rates_within_the_limits_pass()
    {
        var reference = new ReferenceProfile(10, null, [ProfileBuilder.OfNumbers("x", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8])], [], null);
        var window = MonitoringFixtures.OneNumeric([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);

        var quality = Assert.Single(DataQualityAnalyzer.Analyze(reference, window, MonitoringOptions.Default));

        Assert.Equal(QualityVerdict.Ok, quality.Verdict);
        Assert.Empty(quality.Problems);
    }

    [Fact]
    public void Broken_pipeline_fails_time_on_site_and_pages_per_visit_only()
    {
        var window = MonitoringFixtures.Window(Scenario.BrokenPipeline, 3000, seed: 31);

        var quality = DataQualityAnalyzer.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default);

        Assert.Equal(BrokenFeatures, quality.Where(q => q.Verdict == QualityVerdict.Failed).Select(q => q.Feature));
        var time = quality.Single(q => q.Feature == "time_on_site_sec");
        Assert.Equal(1.0, time.ZeroRate);
        Assert.InRange(time.ReferenceZeroRate!.Value, 0.18, 0.22);
        Assert.Equal(1.0, quality.Single(q => q.Feature == "pages_per_visit").MissingRate);
    }

    [Fact]
    public void Baseline_and_source_shift_pass_quality()
    {
        foreach (var scenario in new[] { Scenario.Baseline, Scenario.SourceShift, Scenario.ConceptDrift })
        {
            var quality = DataQualityAnalyzer.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(scenario, 3000, 32), MonitoringOptions.Default);

            Assert.All(quality, q => Assert.True(q.Verdict == QualityVerdict.Ok, $"{scenario} {q.Feature}: {string.Join("; ", q.Problems)}"));
        }
    }

    [Fact]
    public void Unseen_categories_are_counted_case_insensitively_and_listed()
    {
        var reference = MonitoringFixtures.Reference;
        var window = MonitoringFixtures.Window(Scenario.Baseline, 1000, 33);
        var source = window.Categorical["lead_source"];
        for (var i = 0; i < 100; i++)
        {
            source[i] = i % 2 == 0 ? "tiktok" : "GOOGLE_ADS";
        }

        var quality = DataQualityAnalyzer.Analyze(reference, window, MonitoringOptions.Default).Single(q => q.Feature == "lead_source");

        Assert.Equal(0.05, quality.UnseenCategoryRate!.Value, 12);
        Assert.Equal(["tiktok"], quality.UnseenCategories);
        Assert.Equal(QualityVerdict.Ok, quality.Verdict);
    }
}
