using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Deployments;

/// <summary>
/// A weak champion and a better challenger on the same features, trained once for the class. The champion learns
/// from leads whose strongest signals (time on site, last activity, occupation, demo request) were swapped for
/// another simulation's values: same schema and value distributions, no information. The challenger learns from
/// the real columns.
/// </summary>
public sealed class ExperimentPackages
{
    // Columns of the simulator's schema whose values the champion never sees for real.
    private static readonly int[] Hidden = [3, 5, 6, 10];

    public ExperimentPackages()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var champion = LeadSimulator.Generate(new SimulationOptions(3000, Seed: 21)).Table;
        var noise = LeadSimulator.Generate(new SimulationOptions(3000, Seed: 22)).Table;
        var challenger = LeadSimulator.Generate(new SimulationOptions(3000, Seed: 23)).Table;
        Champion = Train(WithColumnsOf(champion, noise, Hidden), clock);
        Challenger = Train(challenger, clock);
    }

    public byte[] Champion { get; }

    public byte[] Challenger { get; }

    private static byte[] Train(LeadTable table, TimeProvider clock) =>
        ModelPackage.Pack(ModelTrainer.Train(table, new TrainingOptions(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 30)), new DataSource(null, null), clock)).ToArchive();

    private static LeadTable WithColumnsOf(LeadTable table, LeadTable other, int[] columns) =>
        new(table.Schema, [.. table.Columns.Select((c, i) => columns.Contains(i) ? other.Columns[i] : c)], table.Ids, table.Timestamps, table.Labels, table.Revenue);
}
