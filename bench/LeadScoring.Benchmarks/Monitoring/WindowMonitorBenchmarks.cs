using BenchmarkDotNet.Attributes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Benchmarks.Monitoring;

/// <summary>
/// The compute part of one monitoring run over 1,000,000 scored leads (a source-shift window, 70 % of outcomes
/// known, 11 features) against the profile of 20,000 baseline leads; reading the window is the store's benchmark.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MonitoringWindowBenchmarks
{
    private const int Rows = 1_000_000;
    private ReferenceProfile _reference = null!;
    private MonitoringWindowData _window = null!;
    private IReadOnlyList<FeatureDriftVerdict> _drift = [];

    [GlobalSetup]
    public void Setup()
    {
        var baseline = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 11));
        _reference = ProfileBuilder.Build(baseline.Table, baseline.TrueProbability);
        var leads = LeadSimulator.Generate(new SimulationOptions(Rows, Seed: 12, Scenario: Scenario.SourceShift, Days: 30));
        _window = WindowOf(leads, labelledShare: 0.7, seed: 13);
        _drift = DataDriftAnalyzer.Analyze(_reference, _window, MonitoringOptions.Default);
    }

    /// <summary>The whole report: drift, quality, prediction drift, performance, business, impact ranking.</summary>
    [Benchmark]
    public WindowReport Analyze() => WindowMonitor.Analyze(_reference, _window, MonitoringOptions.Default);

    /// <summary>Data drift of the 11 features (with Benjamini–Hochberg).</summary>
    [Benchmark]
    public IReadOnlyList<FeatureDriftVerdict> DataDrift() => DataDriftAnalyzer.Analyze(_reference, _window, MonitoringOptions.Default);

    /// <summary>Data quality of the 11 features.</summary>
    [Benchmark]
    public IReadOnlyList<FeatureQuality> DataQuality() => DataQualityAnalyzer.Analyze(_reference, _window, MonitoringOptions.Default);

    /// <summary>Realised metrics on 700,000 labelled leads and CBPE on all.</summary>
    [Benchmark]
    public PerformanceReport Performance() => PerformanceReport.Of(_window, MonitoringOptions.Default);

    /// <summary>Band figures, lift by decile, precision at daily capacity.</summary>
    [Benchmark]
    public BusinessReport Business() => BusinessReport.Of(_window, MonitoringOptions.Default);

    /// <summary>Ranking the drifted features by importance-weighted CBPE.</summary>
    [Benchmark]
    public IReadOnlyList<FeatureImpact> Impact() => DriftImpact.Rank(_reference, _window, _drift, MonitoringOptions.Default);

    private static MonitoringWindowData WindowOf(SimulatedLeads leads, double labelledShare, int seed)
    {
        var table = leads.Table;
        var numeric = new Dictionary<string, double[]>();
        var categorical = new Dictionary<string, string?[]>();
        foreach (var column in table.Columns)
        {
            if (column is NumericColumn n)
            {
                numeric[n.Spec.Name] = n.Values;
            }
            else if (column is CategoricalColumn c)
            {
                categorical[c.Spec.Name] = c.Values;
            }
        }

        var random = new Random(seed);
        var scores = leads.TrueProbability;
        var converted = table.Labels!.Select(l => random.NextDouble() < labelledShare ? (bool?)l : null).ToArray();
        var revenue = table.Revenue!.Select((r, i) => converted[i] == true ? (double?)r : null).ToArray();
        var bands = scores.Select(s => s >= 0.5 ? "hot" : s >= 0.2 ? "warm" : "cold").ToArray();
        var ticks = table.Timestamps!.Select(t => t.UtcTicks).ToArray();
        return new MonitoringWindowData(table.Schema, numeric, categorical, scores, bands, converted, revenue, ticks);
    }
}
