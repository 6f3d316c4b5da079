using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Application.Training;

/// <summary>The leads a model is trained on: simulated on the spot, or a table the caller already has.</summary>
public abstract record TrainingData
{
    private TrainingData()
    {
    }

    /// <summary>Leads drawn from the simulator (the first-start bootstrap trains on these).</summary>
    public static TrainingData Simulated(SimulationOptions options) => new SimulatedLeads(options);

    /// <summary>A lead table read elsewhere, with where it came from for the lineage.</summary>
    public static TrainingData FromTable(LeadTable table, DataSource source) => new GivenLeads(table, source);

    /// <summary>The table and its lineage.</summary>
    internal abstract (LeadTable Table, DataSource Source) Load();

    private sealed record SimulatedLeads(SimulationOptions Options) : TrainingData
    {
        internal override (LeadTable, DataSource) Load()
        {
            ArgumentNullException.ThrowIfNull(Options);
            var origin = string.Create(CultureInfo.InvariantCulture, $"simulated:{ScenarioNames.Name(Options.Scenario)}:{Options.Rows}:{Options.Seed}");
            return (LeadSimulator.Generate(Options).Table, new DataSource(origin, null));
        }
    }

    private sealed record GivenLeads(LeadTable Table, DataSource Source) : TrainingData
    {
        internal override (LeadTable, DataSource) Load() => (Table, Source);
    }
}
