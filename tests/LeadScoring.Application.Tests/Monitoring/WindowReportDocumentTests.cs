using System.Text.Json;
using LeadScoring.Application.Monitoring;
using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Application.Tests.Monitoring;

/// <summary>The wire form of a window report: complete, NaN-free, and read back the same.</summary>
public sealed class WindowReportDocumentTests
{
    [Fact]
    public void A_source_shift_window_reads_back_with_its_drifted_feature_bins_and_figures()
    {
        var (report, _) = Analyze(Scenario.SourceShift, labelledShare: 1);

        var json = MonitoringJson.Serialize(WindowReportDocument.From(report));
        var document = MonitoringJson.Deserialize(json);

        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.Equal(report.Count, document.Leads);
        Assert.Equal(report.DataDrift.Count, document.Features.Count);
        var source = Assert.Single(document.Features, f => f.Feature == "lead_source");
        Assert.Equal("drifted", source.Verdict);
        Assert.Equal("categorical", source.Type);
        Assert.NotNull(source.Bins);
        Assert.Equal(report.DataDrift.Single(d => d.Feature == "lead_source").Report!.Bins.CurrentCounts.Sum(), source.Bins.Current.Sum());
        Assert.Contains(source.Measures, m => m.Method == "chi_square" && m.PValue is not null);
        Assert.Equal("ok", source.Quality!.Verdict);
        Assert.Equal(report.DriftedFeatures, document.Features.Where(f => f.Verdict == "drifted").Select(f => f.Feature).ToList());
        Assert.Equal(report.DriftedFeaturesByImpact.Select(i => i.Feature), document.DriftedByImpact.Select(i => i.Feature));
        Assert.Equal(report.Performance.Realised!.RocAuc, document.Performance.Realised!.RocAuc);
        Assert.Equal(report.Performance.Estimated!.RocAuc, document.Performance.Estimated!.RocAuc);
        Assert.Equal(report.Business.AtCapacity.Precision, document.Business.AtCapacity.Precision);
        // snake_case on the wire, like every other answer of the platform.
        using var parsed = JsonDocument.Parse(json);
        Assert.True(parsed.RootElement.TryGetProperty("drifted_by_impact", out _));
        Assert.True(parsed.RootElement.GetProperty("performance").TryGetProperty("realised_note", out _));
    }

    [Fact]
    public void A_window_without_outcomes_says_why_realised_is_missing_and_keeps_the_estimate()
    {
        var (report, _) = Analyze(Scenario.Baseline, labelledShare: 0);

        var document = MonitoringJson.Deserialize(MonitoringJson.Serialize(WindowReportDocument.From(report)));

        Assert.Null(document.Performance.Realised);
        Assert.Contains("insufficient data", document.Performance.RealisedNote, StringComparison.Ordinal);
        Assert.NotNull(document.Performance.Estimated!.RocAuc);
        Assert.Equal(0, document.Labelled);
    }

    private static (WindowReport Report, ReferenceProfile Reference) Analyze(Scenario scenario, double labelledShare)
    {
        var training = LeadSimulator.Generate(new SimulationOptions(5_000, Seed: 11));
        var reference = ProfileBuilder.Build(training.Table, training.TrueProbability);
        var leads = LeadSimulator.Generate(new SimulationOptions(3_000, Seed: 12, Scenario: scenario, Days: 7));
        var table = leads.Table;
        var numeric = table.Columns.OfType<NumericColumn>().ToDictionary(c => c.Spec.Name, c => c.Values);
        var categorical = table.Columns.OfType<CategoricalColumn>().ToDictionary(c => c.Spec.Name, c => c.Values);
        var labelled = new Random(12);
        var converted = table.Labels!.Select(l => labelled.NextDouble() < labelledShare ? (bool?)l : null).ToArray();
        var revenue = table.Revenue!.Select((r, i) => converted[i] == true ? (double?)r : null).ToArray();
        var scores = leads.TrueProbability;
        var window = new MonitoringWindowData(table.Schema, numeric, categorical, scores, scores.Select(s => s >= 0.5 ? "hot" : s >= 0.2 ? "warm" : "cold").ToArray(), converted, revenue, table.Timestamps!.Select(t => t.UtcTicks).ToArray());
        return (WindowMonitor.Analyze(reference, window, MonitoringOptions.Default), reference);
    }
}
