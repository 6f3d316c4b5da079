using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Monitoring;

public sealed class WindowMonitorTests
{
    private static readonly string[] LeadSourceOnly = ["lead_source"];

    [Fact]
    public void Source_shift_report_names_lead_source_first_by_impact_and_keeps_quality_ok()
    {
        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.SourceShift, 5000, 41), MonitoringOptions.Default);

        Assert.Equal(LeadSourceOnly, report.DriftedFeatures);
        Assert.False(report.QualityFailed);
        var impact = Assert.Single(report.DriftedFeaturesByImpact);
        Assert.Equal("lead_source", impact.Feature);
        Assert.NotEqual(0, impact.AucChange);
        // Weighting the window back to the reference's source mix brings its expected rate back to the reference's mean score.
        var referenceMean = MonitoringFixtures.Reference.Score!.Mean;
        Assert.True(Math.Abs(impact.ReferenceLikePositiveRate - referenceMean) < Math.Abs(impact.EstimatedPositiveRate - referenceMean),
            $"reference {referenceMean}, window {impact.EstimatedPositiveRate}, reweighted {impact.ReferenceLikePositiveRate}, AUC change {impact.AucChange}");
        Assert.Equal(1, report.DriftSummary!.DriftedFeatures);
        Assert.False(report.DriftSummary.DatasetDrifted);
    }

    [Fact]
    public void Broken_pipeline_is_a_quality_failure()
    {
        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.BrokenPipeline, 5000, 42), MonitoringOptions.Default);

        Assert.True(report.QualityFailed);
        Assert.Contains("time_on_site_sec", report.DriftedFeatures);
    }

    [Fact]
    public void Baseline_is_quiet_and_cbpe_agrees_with_realised_auc()
    {
        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.Baseline, 20_000, 43), MonitoringOptions.Default);

        Assert.Empty(report.DriftedFeatures);
        Assert.False(report.QualityFailed);
        Assert.Empty(report.DriftedFeaturesByImpact);
        Assert.Equal(DriftSeverity.None, report.Prediction.ScoreDrift!.Severity);
        Assert.InRange(report.Performance.Estimated!.RocAuc - report.Performance.Realised!.RocAuc, -0.02, 0.02);
        Assert.InRange(report.Performance.Realised.ExpectedCalibrationError, 0, 0.02);
        Assert.Equal(1.0, report.Prediction.Bands.Sum(b => b.Share), 12);
        Assert.Equal(10, report.Business.LiftByDecile.Count);
        Assert.True(report.Business.LiftByDecile[0].Lift > 2);
        Assert.True(report.Business.AtCapacity.Lift > 2);
    }

    [Fact]
    public void Concept_drift_shows_in_realised_performance_not_in_the_inputs()
    {
        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.ConceptDrift, 20_000, 44), MonitoringOptions.Default);

        Assert.Empty(report.DriftedFeatures);
        // CBPE trusts the old calibration; realised outcomes do not follow it any more.
        Assert.True(report.Performance.Estimated!.RocAuc - report.Performance.Realised!.RocAuc > 0.05,
            $"estimated {report.Performance.Estimated.RocAuc}, realised {report.Performance.Realised.RocAuc}");
        Assert.True(report.Performance.Realised.ExpectedCalibrationError > 0.05);
    }

    [Fact]
    public void A_doubled_heavy_tailed_feature_is_caught_by_the_trimmed_distance()
    {
        var window = MonitoringFixtures.Window(Scenario.Baseline, 5000, 45);
        var size = window.Numeric["company_size"];
        for (var i = 0; i < size.Length; i++)
        {
            size[i] *= 2;
        }

        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default);

        Assert.Equal(["company_size"], report.DriftedFeatures);
        Assert.True(report.DataDrift.Single(d => d.Feature == "company_size").TrimmedWasserstein > 0.1);
    }

    [Fact]
    public void A_tiny_window_says_insufficient_data_everywhere_it_must()
    {
        var report = WindowMonitor.Analyze(MonitoringFixtures.Reference, MonitoringFixtures.Window(Scenario.Baseline, 50, 46, labelledShare: 0.5), MonitoringOptions.Default);

        Assert.True(report.InsufficientData);
        Assert.Null(report.DriftSummary);
        Assert.Null(report.Prediction.ScoreDrift);
        Assert.Null(report.Performance.Realised);
        Assert.StartsWith("insufficient data", report.Performance.RealisedNote, StringComparison.Ordinal);
        Assert.All(report.DataDrift, d => Assert.StartsWith("insufficient data", d.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Scenario.SourceShift, 20_000, 0.7)]
    [InlineData(Scenario.BrokenPipeline, 20_000, 1)]
    [InlineData(Scenario.ConceptDrift, 20_000, 0.3)]
    [InlineData(Scenario.Baseline, 50, 0.5)]
    public void The_parallel_report_is_the_one_computed_part_by_part(Scenario scenario, int rows, double labelledShare)
    {
        var window = MonitoringFixtures.Window(scenario, rows, 47, labelledShare);

        var sequential = Json(WindowMonitor.Report(MonitoringFixtures.Reference, window, MonitoringOptions.Default, parallel: false));

        // Several runs, so a race between the parts (a shared buffer, a result written to the wrong slot) has chances to show.
        for (var run = 0; run < 5; run++)
        {
            Assert.Equal(sequential, Json(WindowMonitor.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default)));
        }

        Assert.Contains("\"Verdict\"", sequential, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_that_throws_throws_unwrapped()
    {
        // A window missing a schema column cannot be built, so break one after building it.
        var window = MonitoringFixtures.Window(Scenario.Baseline, 500, 48);
        var numeric = (Dictionary<string, double[]>)window.Numeric;
        numeric.Remove("total_visits");

        Assert.Throws<KeyNotFoundException>(() => WindowMonitor.Analyze(MonitoringFixtures.Reference, window, MonitoringOptions.Default));
    }

    private static string Json(WindowReport report) => JsonSerializer.Serialize(report, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
