using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Core.Tests.Monitoring;

/// <summary>
/// Seeded simulator windows. The monitored "model" is the baseline world's true probability (a perfect,
/// calibrated model trained before anything drifted). Where the conversion rules stay (source shift, broken
/// pipeline: the model is taken to see the intact values) that is the window's own true probability; under concept
/// drift the simulator draws the same random numbers as the baseline, so the baseline run with the window's seed
/// gives the score the old model would give the window's leads.
/// </summary>
internal static class MonitoringFixtures
{
    private static readonly Lazy<ReferenceProfile> LazyReference = new(() =>
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 11));
        return ProfileBuilder.Build(leads.Table, leads.TrueProbability);
    });

    /// <summary>The profile of 20,000 baseline leads and their scores.</summary>
    public static ReferenceProfile Reference => LazyReference.Value;

    /// <summary>A window of <paramref name="rows"/> leads of <paramref name="scenario"/>, every outcome known unless <paramref name="labelledShare"/> says otherwise.</summary>
    public static MonitoringWindowData Window(Scenario scenario, int rows, int seed, double labelledShare = 1)
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(rows, Seed: seed, Scenario: scenario, Days: 7));
        var scores = scenario != Scenario.ConceptDrift
            ? leads.TrueProbability
            : LeadSimulator.Generate(new SimulationOptions(rows, Seed: seed, Days: 7)).TrueProbability;
        var labelled = new Random(seed);
        var converted = leads.Table.Labels!.Select(l => labelled.NextDouble() < labelledShare ? (bool?)l : null).ToArray();
        var revenue = leads.Table.Revenue!.Select((r, i) => converted[i] == true ? (double?)r : null).ToArray();
        return FromTable(leads.Table, scores, converted, revenue);
    }

    /// <summary>A window from a lead table's columns (booleans stay 0/1 doubles, as the table holds them).</summary>
    public static MonitoringWindowData FromTable(LeadTable table, double[] scores, bool?[] converted, double?[] revenue)
    {
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

        var ticks = table.Timestamps!.Select(t => t.UtcTicks).ToArray();
        return new MonitoringWindowData(table.Schema, numeric, categorical, scores, scores.Select(Band).ToArray(), converted, revenue, ticks);
    }

    /// <summary>A window of one numeric feature "x" (hand-computed cases).</summary>
    public static MonitoringWindowData OneNumeric(double[] x, double[]? scores = null, bool?[]? converted = null)
    {
        var schema = new LeadSchema(name: "one", id: null, label: "y", positive: ["1"], negative: null, timestamp: null, revenue: null,
            delimiter: ',', features: [new FeatureSpec("x", FeatureType.Numeric)], exclude: [], missingValues: [""]);
        scores ??= x.Select(_ => 0.5).ToArray();
        return new MonitoringWindowData(schema, new Dictionary<string, double[]> { ["x"] = x }, new Dictionary<string, string?[]>(),
            scores, scores.Select(Band).ToArray(), converted ?? new bool?[x.Length], new double?[x.Length], new long[x.Length]);
    }

    public static string Band(double score) => score >= 0.5 ? "hot" : score >= 0.2 ? "warm" : "cold";
}
