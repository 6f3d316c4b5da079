using LeadScoring.Core.Data;
using LeadScoring.Core.Deployments;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Deployments;

/// <summary>
/// Drives a deployment's traffic through the real stores the way the server does, one simulated day per call:
/// each lead gets its arm by sticky assignment and its score from that arm's real model, the prediction rows and
/// the arms' minute counters are written, and the day before's outcomes (drawn by the simulator from each lead's
/// true probability) arrive. The fake clock moves to the next day.
/// </summary>
public sealed class ExperimentTraffic(FakeTimeProvider clock, PredictionLog log, OutcomeStore outcomes, DeploymentStore deployments, int leadsPerDay, int seed)
{
    private readonly Random _latency = new(seed);
    private SimulatedLeads? _yesterday;
    private int _day;

    /// <summary>
    /// One day of a split deployment. <paramref name="dropChallenger"/> loses that share of the challenger's rows
    /// (as a crashing arm that drops leads would), to break the split.
    /// </summary>
    public async Task RunSplitDayAsync(Deployment deployment, LeadScorer champion, LeadScorer challenger, double dropChallenger = 0)
    {
        var (day, start) = NewDay();
        var table = day.Table;
        var arms = Enumerable.Range(0, table.Count).ToLookup(i => StickyAssignment.IsChallenger(deployment.Salt, table.Ids![i]!, deployment.Share));
        var rows = new List<PredictionRecord>();
        var drop = new Random(seed + _day);
        var minutes = new List<ArmMinute>();
        foreach (var (isChallenger, scorer, version, arm) in new[]
        {
            (false, champion, deployment.ChampionVersion, ServingArms.Champion),
            (true, challenger, deployment.ChallengerVersion!.Value, ServingArms.Challenger),
        })
        {
            var indices = arms[isChallenger].Where(_ => !isChallenger || drop.NextDouble() >= dropChallenger).ToArray();
            var scores = scorer.Score(table.Select(indices));
            var histogram = new LatencyHistogram();
            for (var k = 0; k < indices.Length; k++)
            {
                var latency = Latency();
                histogram.Record(latency);
                rows.Add(Record(deployment, table, indices[k], version, arm, scores[k], latency));
            }

            minutes.Add(new ArmMinute(deployment.Id, arm, start, indices.Length, 0, histogram.ToArray()));
        }

        await EndDayAsync(day, rows, minutes);
    }

    /// <summary>One day of a shadow deployment: the champion serves every lead, the challenger's score is logged beside it.</summary>
    public async Task RunShadowDayAsync(Deployment deployment, LeadScorer champion, LeadScorer challenger)
    {
        var (day, start) = NewDay();
        var table = day.Table;
        var served = champion.Score(table);
        var shadow = challenger.Score(table);
        var rows = new List<PredictionRecord>();
        for (var i = 0; i < table.Count; i++)
        {
            var record = Record(deployment, table, i, deployment.ChampionVersion, ServingArms.Champion, served[i], Latency());
            rows.Add(record);
            rows.Add(record with { Arm = ServingArms.Shadow, ShadowModelVersion = deployment.ChallengerVersion, ShadowScore = shadow[i] });
        }

        await EndDayAsync(day, rows, []);
    }

    private (SimulatedLeads Day, DateTimeOffset Start) NewDay()
    {
        _day++;
        var start = clock.GetUtcNow();
        return (LeadSimulator.Generate(new SimulationOptions(leadsPerDay, Seed: seed + (1000 * _day), Start: start, Days: 1)), start);
    }

    private async Task EndDayAsync(SimulatedLeads day, List<PredictionRecord> rows, List<ArmMinute> minutes)
    {
        await log.AppendAsync(rows);
        await deployments.RecordArmMinutesAsync("replica-a", minutes);
        clock.Advance(TimeSpan.FromDays(1));
        if (_yesterday is { } earlier)
        {
            await RecordOutcomesAsync(earlier);
        }

        _yesterday = day;
    }

    // The simulator drew each lead's label from its true probability; the revenue of a converted lead with it.
    private async Task RecordOutcomesAsync(SimulatedLeads leads)
    {
        var table = leads.Table;
        var occurred = clock.GetUtcNow().AddMinutes(-1);
        var batch = Enumerable.Range(0, table.Count)
            .Select(i => new OutcomeRecord(table.Ids![i]!, table.Labels![i], table.Labels[i] ? table.Revenue![i] : null, occurred))
            .ToList();
        await outcomes.RecordAsync(batch, "import:simulation");
    }

    private static PredictionRecord Record(Deployment deployment, LeadTable table, int row, int version, string arm, double score, long latency)
    {
        var features = table.FeaturesOf(row);
        return new PredictionRecord(
            "sim-" + row, table.Ids![row]!, table.Timestamps![row], deployment.ModelName, version, arm, score,
            ScoreBuckets.Default.Of(score), latency, LeadFeaturesJson.Write(features, table.Schema));
    }

    // Both arms take the same time: 200–600 µs.
    private long Latency() => 200 + _latency.Next(400);
}
