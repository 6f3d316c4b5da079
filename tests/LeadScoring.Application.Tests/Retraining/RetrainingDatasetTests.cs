using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// The training set read from a real SQLite prediction log and outcome store with a fake clock: the P90 maturity
/// cut, the lookback, unlabelled and too-young leads, skipped rows, and the refusals.
/// </summary>
public sealed class RetrainingDatasetTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromDays(10);
    private static readonly TrainingSetOptions Small = new() { MinLabelled = 50 };

    private readonly ApplicationHost _host = new(Now - TimeSpan.FromDays(400));

    private FeedbackReader Reader => _host.Services.GetRequiredService<FeedbackReader>();

    private RetrainingLog Log => new(_host.Services.GetRequiredService<PredictionLog>(), _host.Services.GetRequiredService<OutcomeStore>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Leads_are_taken_from_the_lookback_up_to_the_p90_delay_and_unlabelled_ones_are_left_out()
    {
        var (mature, edgeFrom) = await LogStandardTrafficAsync();

        var set = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));

        // Every delay is 10 days except the young fast converters' 1 day: P90 = 10 days; the window [now − 183 d, now − 10 d).
        Assert.Equal(Delay, set.DelayP90);
        Assert.Equal(Now - TimeSpan.FromDays(183), set.ScoredFrom);
        Assert.Equal(Now - Delay, set.ScoredTo);
        Assert.Equal(Now, set.KnownBy);
        // 100 mature leads plus the one scored exactly at the lookback's start; not the one scored exactly at now − P90,
        // nor the old or the young ones; the 10 without an outcome are scored but unlabelled.
        Assert.Equal(101, set.Rows);
        Assert.Equal(111, set.Scored);
        Assert.Equal(10, set.Unlabelled);
        Assert.Equal(0, set.Skipped);
        Assert.Null(set.FirstSkipReason);
        var expectedIds = edgeFrom.Ids!.Concat(mature.Ids!).ToArray();
        Assert.Equal(expectedIds, set.Table.Ids);
        Assert.Equal(Now - TimeSpan.FromDays(183), set.From);
        Assert.Equal(MatureTime(99), set.To);
        Assert.Equal(set.Table.Timestamps!.Order().ToArray(), set.Table.Timestamps);

        // Labels, revenue and features are the simulated lead's own.
        for (var i = 0; i < 100; i++)
        {
            var row = i + 1;
            Assert.Equal(mature.Labels![i], set.Table.Labels![row]);
            Assert.Equal(mature.Labels[i] ? mature.Revenue![i] : 0, set.Table.Revenue![row]);
            Assert.Equal(LeadFeaturesJson.Write(mature.FeaturesOf(i), mature.Schema), LeadFeaturesJson.Write(set.Table.FeaturesOf(row), set.Table.Schema));
        }

        Assert.Equal(edgeFrom.Labels![0], set.Table.Labels![0]);
        Assert.Equal(mature.Labels!.Count(l => l) + (edgeFrom.Labels[0] ? 1 : 0), set.Positives);
        Assert.Same(LeadSimulator.Schema, set.Table.Schema);
    }

    [Fact]
    public async Task Too_few_mature_labelled_leads_stop_the_run_with_the_numbers()
    {
        await LogStandardTrafficAsync();

        var result = await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, TrainingSetOptions.Default);

        var insufficient = Assert.IsType<InsufficientTrainingData>(result);
        Assert.Equal("101 mature labelled leads (of 111 scored) in the last 183 days; retraining needs at least 10,000", insufficient.Message);
        Assert.Equal((111L, 101L, 0L, 10_000), (insufficient.Scored, insufficient.Labelled, insufficient.Skipped, insufficient.MinLabelled));
        Assert.Equal(Delay, insufficient.DelayP90);
        Assert.Equal(Now - Delay, insufficient.ScoredTo);

        // A shorter lookback takes fewer leads: the mature ones were scored 100 to 20 days ago, one every 0.8 days.
        var recent = Assert.IsType<InsufficientTrainingData>(
            await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, new TrainingSetOptions { Lookback = TimeSpan.FromDays(60) }));
        Assert.Equal("50 mature labelled leads (of 60 scored) in the last 60 days; retraining needs at least 10,000", recent.Message);
    }

    [Fact]
    public async Task Outcomes_received_after_now_are_not_known_and_young_leads_wait_for_the_delay()
    {
        var leads = RetrainingLog.Leads(80, seed: 21, "lead-");
        await Log.ScoreAsync(leads, i => Now - TimeSpan.FromDays(60) + TimeSpan.FromHours(i));
        _host.Clock.SetUtcNow(Now - TimeSpan.FromDays(1));
        await Log.RecordOutcomesAsync(leads, i => Now - TimeSpan.FromDays(50) + TimeSpan.FromHours(i), rows: Enumerable.Range(0, 60));
        // The last 20 outcomes reach the store two days after the run's now.
        _host.Clock.SetUtcNow(Now + TimeSpan.FromDays(2));
        await Log.RecordOutcomesAsync(leads, i => Now - TimeSpan.FromDays(50) + TimeSpan.FromHours(i), rows: Enumerable.Range(60, 20));

        var before = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));
        var after = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now + TimeSpan.FromDays(2), Small));

        Assert.Equal((60, 20L), (before.Rows, before.Unlabelled));
        Assert.Equal((80, 0L), (after.Rows, after.Unlabelled));

        // Young leads with fast outcomes are held back until the P90 delay has passed, even though their outcomes are known.
        var young = RetrainingLog.Leads(30, seed: 22, "young-");
        await Log.ScoreAsync(young, i => Now + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(i));
        await Log.RecordOutcomesAsync(young, i => Now + TimeSpan.FromDays(1.5));
        var later = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now + TimeSpan.FromDays(2), Small));
        Assert.Equal(TimeSpan.FromDays(10), later.DelayP90);
        Assert.Equal(80, later.Rows);
        Assert.DoesNotContain(later.Table.Ids!, id => id!.StartsWith("young-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_measured_delay_nothing_is_mature()
    {
        var leads = RetrainingLog.Leads(20, seed: 23, "lead-");
        await Log.ScoreAsync(leads, i => Now - TimeSpan.FromDays(30));
        _host.Clock.SetUtcNow(Now);

        var none = Assert.IsType<InsufficientTrainingData>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));
        Assert.Equal("no outcomes have been received yet, so the conversion delay is unknown and no lead can be called mature; retraining needs at least 50 mature labelled leads", none.Message);
        Assert.Null(none.DelayP90);
        Assert.Null(none.ScoredTo);

        var strangers = RetrainingLog.Leads(3, seed: 24, "never-scored-");
        await Log.RecordOutcomesAsync(strangers, _ => Now - TimeSpan.FromDays(1));
        var unmatched = Assert.IsType<InsufficientTrainingData>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));
        Assert.StartsWith("none of the 3 outcomes received matches a scored lead yet, so the conversion delay is unknown", unmatched.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leads_whose_logged_features_do_not_fit_the_schema_are_skipped_and_counted()
    {
        var leads = RetrainingLog.Leads(70, seed: 25, "lead-");
        var withoutCountry = new LeadSchema(
            "older", "lead_id", "converted", ["1"], ["0"], null, null, null,
            [.. LeadSimulator.Schema.Features.Where(f => f.Name != "country")], [], [""]);
        await Log.ScoreAsync(
            leads,
            i => Now - TimeSpan.FromDays(40) + TimeSpan.FromHours(i),
            json: i => i < 5 ? LeadFeaturesJson.Write(Older(leads, withoutCountry, i), withoutCountry) : LeadFeaturesJson.Write(leads.FeaturesOf(i), leads.Schema));
        _host.Clock.SetUtcNow(Now);
        await Log.RecordOutcomesAsync(leads, i => Now - TimeSpan.FromDays(35) + TimeSpan.FromHours(i));

        var set = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));

        Assert.Equal((65, 5L, 70L), (set.Rows, set.Skipped, set.Scored));
        Assert.Equal($"lead '{leads.Ids![0]}': the logged features differ from the model's schema 'simulated-leads': the log lacks country", set.FirstSkipReason);
        Assert.DoesNotContain(set.Table.Ids!, id => leads.Ids.Take(5).Contains(id));

        var refused = Assert.IsType<InsufficientTrainingData>(
            await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, new TrainingSetOptions { MinLabelled = 66 }));
        Assert.Equal(
            $"65 mature labelled leads (of 70 scored) in the last 183 days; retraining needs at least 66 (5 labelled leads were skipped, first lead '{leads.Ids[0]}': the logged features differ from the model's schema 'simulated-leads': the log lacks country)",
            refused.Message);
    }

    [Fact]
    public async Task Every_version_and_arm_of_the_model_counts_from_its_first_score_and_other_models_do_not()
    {
        var leads = RetrainingLog.Leads(60, seed: 26, "lead-");
        var first = Now - TimeSpan.FromDays(50);
        await Log.ScoreAsync(leads, i => first + TimeSpan.FromHours(i), version: 1, arm: ServingArms.Champion);
        // Scored again later by version 2 on the challenger arm: the first score still dates the lead.
        await Log.ScoreAsync(leads, i => first + TimeSpan.FromDays(3) + TimeSpan.FromHours(i), version: 2, arm: ServingArms.Challenger);
        var others = RetrainingLog.Leads(40, seed: 27, "other-");
        await Log.ScoreAsync(others, i => first + TimeSpan.FromHours(i), model: "other-model");
        _host.Clock.SetUtcNow(Now);
        await Log.RecordOutcomesAsync(leads, i => first + TimeSpan.FromDays(5));
        await Log.RecordOutcomesAsync(others, i => first + TimeSpan.FromDays(5));

        var set = Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));

        Assert.Equal(60, set.Rows);
        Assert.Equal(leads.Ids, set.Table.Ids);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => first + TimeSpan.FromHours(i)), set.Table.Timestamps!);
    }

    [Fact]
    public async Task A_window_with_one_outcome_only_is_refused()
    {
        var leads = RetrainingLog.Leads(60, seed: 28, "lead-");
        await Log.ScoreAsync(leads, i => Now - TimeSpan.FromDays(40) + TimeSpan.FromHours(i));
        _host.Clock.SetUtcNow(Now);
        await Log.RecordOutcomesAsync(leads, _ => Now - TimeSpan.FromDays(20), converted: false);

        var refused = Assert.IsType<InsufficientTrainingData>(await RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, Small));

        Assert.Equal("60 mature labelled leads (of 60 scored) in the last 183 days, but none of them converted; retraining needs both outcomes", refused.Message);
    }

    [Fact]
    public void A_schema_without_id_or_timestamp_gets_named_columns_that_clash_with_nothing()
    {
        var schema = new LeadSchema(
            "bare", null, "converted", ["1"], null, null, null, null,
            [new FeatureSpec("scored_at", FeatureType.Numeric), new FeatureSpec("source", FeatureType.Categorical)], [new ExcludedColumn("lead_id", "pii")], [""]);

        var table = RetrainingDataset.TableSchema(schema);

        Assert.Equal("lead_id_", table.Id);
        Assert.Equal("scored_at_", table.Timestamp);
        Assert.Same(schema.Features, table.Features);
        Assert.Same(LeadSimulator.Schema, RetrainingDataset.TableSchema(LeadSimulator.Schema));
    }

    [Fact]
    public async Task Bad_options_are_named()
    {
        Assert.Equal("MinLabelled", Assert.Throws<ArgumentOutOfRangeException>(new TrainingSetOptions { MinLabelled = 1 }.Validate).ParamName);
        var bad = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => RetrainingDataset.LoadAsync(Reader, RetrainingLog.Model, LeadSimulator.Schema, Now, new TrainingSetOptions { Lookback = TimeSpan.Zero }));
        Assert.Equal("Lookback", bad.ParamName);
    }

    private static DateTimeOffset MatureTime(int i) => Now - TimeSpan.FromDays(100) + TimeSpan.FromMinutes(1152 * i); // every 0.8 days

    // The standard traffic: 100 mature leads scored 100 to 20 days ago (one every 0.8 days), one scored exactly at the
    // lookback's start and one exactly at now − P90, 10 too old (200 days), 20 too young (5 days ago, outcomes a day
    // later), all with outcomes 10 days after their score (the young ones' after one); and 10 mature leads without any outcome.
    private async Task<(LeadTable Mature, LeadTable EdgeFrom)> LogStandardTrafficAsync()
    {
        var log = Log;
        var mature = RetrainingLog.Leads(100, seed: 11, "mature-");
        var old = RetrainingLog.Leads(10, seed: 12, "old-");
        var young = RetrainingLog.Leads(20, seed: 13, "young-");
        var silent = RetrainingLog.Leads(10, seed: 14, "silent-");
        var edgeFrom = RetrainingLog.Leads(1, seed: 16, "edge-from-");
        var edgeTo = RetrainingLog.Leads(1, seed: 15, "edge-to-");
        await log.ScoreAsync(old, _ => Now - TimeSpan.FromDays(200));
        await log.ScoreAsync(edgeFrom, _ => Now - TimeSpan.FromDays(183));
        await log.ScoreAsync(mature, MatureTime);
        await log.ScoreAsync(silent, i => Now - TimeSpan.FromDays(15) + TimeSpan.FromMinutes(i));
        await log.ScoreAsync(edgeTo, _ => Now - Delay);
        await log.ScoreAsync(young, i => Now - TimeSpan.FromDays(5) + TimeSpan.FromMinutes(i));
        _host.Clock.SetUtcNow(Now);
        await log.RecordOutcomesAsync(old, _ => Now - TimeSpan.FromDays(190));
        await log.RecordOutcomesAsync(edgeFrom, _ => Now - TimeSpan.FromDays(173));
        await log.RecordOutcomesAsync(mature, i => MatureTime(i) + Delay);
        await log.RecordOutcomesAsync(edgeTo, _ => Now);
        await log.RecordOutcomesAsync(young, i => Now - TimeSpan.FromDays(4) + TimeSpan.FromMinutes(i));
        return (mature, edgeFrom);
    }

    private static LeadFeatures Older(LeadTable table, LeadSchema older, int row)
    {
        var all = table.FeaturesOf(row);
        var features = new LeadFeatures(older.Features.Count);
        for (var f = 0; f < older.Features.Count; f++)
        {
            var index = table.Schema.IndexOf(older.Features[f].Name);
            features.Numbers[f] = all.Numbers[index];
            features.Categories[f] = all.Categories[index];
        }

        return features;
    }
}
