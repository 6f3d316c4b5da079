using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Application.Tests.Monitoring;

/// <summary>
/// Simulated leads scored by a real model and written through the real prediction log, the way the server logs
/// them, spread evenly over a window; and their outcomes, drawn by the simulator from each lead's true probability,
/// through the real outcome store.
/// </summary>
public sealed class MonitoringTraffic(PredictionLog log, OutcomeStore outcomes, string model)
{
    private readonly Random _latency = new(5);

    /// <summary>Scores <paramref name="rows"/> leads of <paramref name="scenario"/> evenly over [from, from + span) and logs them.</summary>
    public async Task<LeadTable> ScoreAsync(
        LeadScorer scorer, int version, Scenario scenario, int rows, int seed, DateTimeOffset from, TimeSpan span, string arm = ServingArms.Champion, string? idPrefix = null)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(rows, Seed: seed, Scenario: scenario, Start: from, Days: 1)).Table;
        var scores = scorer.Score(table);
        var records = new List<PredictionRecord>(rows);
        for (var i = 0; i < rows; i++)
        {
            var at = from + (span * i / rows);
            records.Add(new PredictionRecord(
                "req-" + i.ToString(CultureInfo.InvariantCulture), (idPrefix ?? "") + table.Ids![i]!, at, model, version, arm, scores[i],
                ScoreBuckets.Default.Of(scores[i]), 200 + _latency.Next(400), Features(table, i)));
        }

        await log.AppendAsync(records);
        return table;
    }

    /// <summary>Records the outcome of every lead of <paramref name="table"/>, as having happened at <paramref name="occurredAt"/>.</summary>
    public Task RecordOutcomesAsync(LeadTable table, DateTimeOffset occurredAt, string? idPrefix = null) =>
        outcomes.RecordAsync(
            [.. Enumerable.Range(0, table.Count).Select(i => new OutcomeRecord((idPrefix ?? "") + table.Ids![i]!, table.Labels![i], table.Labels[i] ? table.Revenue![i] : null, occurredAt))],
            "import:simulation");

    private static string Features(LeadTable table, int row)
    {
        var features = table.FeaturesOf(row);
        return LeadFeaturesJson.Write(features, table.Schema);
    }
}
