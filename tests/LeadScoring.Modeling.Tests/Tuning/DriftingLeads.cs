using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Modeling.Tests.Tuning;

/// <summary>
/// Simulated leads whose conversion rules change part-way: baseline leads for the first 60 days, then the
/// simulator's concept-drift world for 30, so the latest time fold holds only drifted leads.
/// </summary>
internal static class DriftingLeads
{
    public static LeadTable Generate(int rows, int seed)
    {
        var before = LeadSimulator.Generate(new SimulationOptions(rows * 2 / 3, seed, Scenario.Baseline, SimulationOptions.DefaultStart, Days: 60)).Table;
        var after = LeadSimulator.Generate(new SimulationOptions(rows - before.Count, seed + 1, Scenario.ConceptDrift, SimulationOptions.DefaultStart.AddDays(60), Days: 30)).Table;
        return Concat(before, after);
    }

    private static LeadTable Concat(LeadTable a, LeadTable b)
    {
        var columns = a.Columns.Select((c, i) => c switch
        {
            NumericColumn n => (FeatureColumn)new NumericColumn(n.Spec, [.. n.Values, .. ((NumericColumn)b.Columns[i]).Values]),
            CategoricalColumn cat => new CategoricalColumn(cat.Spec, [.. cat.Values, .. ((CategoricalColumn)b.Columns[i]).Values]),
            _ => throw new InvalidOperationException("unknown column kind"),
        }).ToList();
        return new LeadTable(a.Schema, columns, [.. a.Ids!, .. b.Ids!], [.. a.Timestamps!, .. b.Timestamps!], [.. a.Labels!, .. b.Labels!], [.. a.Revenue!, .. b.Revenue!]);
    }
}
