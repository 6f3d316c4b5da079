using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// Simulated leads logged through the real prediction log at chosen times (the score itself does not matter to the
/// training set, so no model runs), and their simulated outcomes through the real outcome store.
/// </summary>
internal sealed class RetrainingLog(PredictionLog log, OutcomeStore outcomes)
{
    public const string Model = "leads";

    private int _requests;

    /// <summary>Simulated leads (ids prefixed by <paramref name="prefix"/>, so batches never collide).</summary>
    public static LeadTable Leads(int rows, int seed, string prefix)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(rows, Seed: seed, Days: 1)).Table;
        var ids = table.Ids!.Select(id => prefix + id).ToArray();
        return new LeadTable(table.Schema, table.Columns, ids, table.Timestamps, table.Labels, table.Revenue);
    }

    /// <summary>Logs row i of <paramref name="table"/> as scored at <paramref name="scoredAt"/>(i), with its features as JSON (or <paramref name="json"/>'s).</summary>
    public Task ScoreAsync(
        LeadTable table, Func<int, DateTimeOffset> scoredAt, string model = Model, int version = 1, string arm = ServingArms.Champion, Func<int, string>? json = null)
    {
        var records = Enumerable.Range(0, table.Count).Select(i => new PredictionRecord(
            "req-" + (++_requests).ToString(CultureInfo.InvariantCulture), table.Ids![i]!, scoredAt(i), model, version, arm, 0.5, "warm", 300,
            json?.Invoke(i) ?? LeadFeaturesJson.Write(table.FeaturesOf(i), table.Schema))).ToList();
        return log.AppendAsync(records);
    }

    /// <summary>Records the simulated outcome of every row of <paramref name="table"/> (or of <paramref name="rows"/>), as having happened at <paramref name="occurredAt"/>(i).</summary>
    public Task RecordOutcomesAsync(LeadTable table, Func<int, DateTimeOffset> occurredAt, IEnumerable<int>? rows = null, bool? converted = null) =>
        outcomes.RecordAsync(
            [.. (rows ?? Enumerable.Range(0, table.Count)).Select(i => new OutcomeRecord(
                table.Ids![i]!, converted ?? table.Labels![i], (converted ?? table.Labels![i]) ? table.Revenue![i] : null, occurredAt(i)))],
            "import:test");
}
