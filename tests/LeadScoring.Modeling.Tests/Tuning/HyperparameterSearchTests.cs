using System.Text.Json;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tuning;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Modeling.Tests.Tuning;

public sealed class HyperparameterSearchTests(SearchFixture search) : IClassFixture<SearchFixture>
{
    private static readonly TrainingOptions Final = new(CalibrationFolds: 2);

    [Fact]
    public void The_same_table_options_and_seed_give_the_same_trials_settings_and_fold_scores()
    {
        var again = HyperparameterSearch.Run(search.Leads, SearchFixture.Options, new FakeTimeProvider());

        Assert.Equal(Json(search.Result.Trials), Json(again.Trials));
        Assert.Equal(search.Result.Winner!.Number, again.Winner!.Number);
    }

    [Fact]
    public void Training_the_winner_twice_gives_identical_probe_scores()
    {
        var options = search.Result.Winner!.ToTrainingOptions(Final);

        var a = ModelPackage.Load(ModelPackage.Pack(ModelTrainer.Train(search.Leads, search.Result.LatestFoldSplit(), options, new DataSource(null, null), new FakeTimeProvider())).ToArchive());
        var b = ModelPackage.Load(ModelPackage.Pack(ModelTrainer.Train(search.Leads, search.Result.LatestFoldSplit(), options, new DataSource(null, null), new FakeTimeProvider())).ToArchive());
        var probes = ProbeSet.Build(a.Schema, a.Profile, a.Encoder, 256, seed: 7);

        Assert.Equal(probes.Select(a.Scorer.Score), probes.Select(b.Scorer.Score));
    }

    [Fact]
    public void The_trial_budget_is_honoured()
    {
        Assert.Equal(SearchFixture.Options.Trials, search.Result.Trials.Count);
        Assert.Equal(Enumerable.Range(1, SearchFixture.Options.Trials), search.Result.Trials.Select(t => t.Number));
        Assert.Equal(SearchStop.Finished, search.Result.Stop);
    }

    [Fact]
    public void Pruned_trials_have_fewer_folds_than_survivors()
    {
        var pruned = search.Result.Trials.Where(t => t.Status == TrialStatus.Pruned).ToList();
        var completed = search.Result.Trials.Where(t => t.Status == TrialStatus.Completed).ToList();

        Assert.NotEmpty(pruned);
        Assert.NotEmpty(completed);
        Assert.All(completed, t => Assert.Equal(SearchFixture.Options.Folds, t.Folds.Count));
        Assert.All(pruned, t => Assert.True(t.Folds.Count < SearchFixture.Options.Folds, $"trial {t.Number} pruned after {t.Folds.Count} folds"));
        Assert.All(pruned, t => Assert.Equal(0, t.PrunedAtRung));
        Assert.All(completed, t => Assert.NotNull(t.LatestFoldAuc));
        Assert.All(pruned, t => Assert.Null(t.LatestFoldAuc));
    }

    [Fact]
    public void No_fold_validates_on_rows_earlier_than_its_training_rows()
    {
        var times = search.Leads.Timestamps!;

        Assert.Equal(SearchFixture.Options.Folds, search.Result.Folds.Count);
        foreach (var fold in search.Result.Folds)
        {
            Assert.True(fold.Train.Max(r => times[r]) < fold.Validation.Min(r => times[r]), $"fold {fold.Index}");
        }

        foreach (var score in search.Result.Trials.SelectMany(t => t.Folds))
        {
            var fold = search.Result.Folds[score.Fold - 1];
            Assert.Equal(fold.Train.Count, score.TrainRows);
            Assert.Equal(fold.Validation.Count, score.ValidationRows);
        }
    }

    [Fact]
    public void A_folds_category_vocabulary_comes_from_its_training_rows_only()
    {
        // A lead source that only ever appears in the latest block must be "other" to every fold's encoder.
        var sources = (CategoricalColumn)search.Leads.Columns[0];
        var latest = search.Result.LatestFold;
        var values = sources.Values.ToArray();
        foreach (var row in latest.Validation)
        {
            values[row] = "brand_new_channel";
        }

        var columns = search.Leads.Columns.Select((c, i) => i == 0 ? new CategoricalColumn(sources.Spec, values) : c).ToList();
        var table = new LeadTable(search.Leads.Schema, columns, search.Leads.Ids, search.Leads.Timestamps, search.Leads.Labels, search.Leads.Revenue);

        var data = FoldData.Encode(table, latest, minCategoryCount: 5, seed: 1);

        Assert.DoesNotContain("brand_new_channel", data.Encoder.Vocabulary["lead_source"]);
        Assert.Contains("brand_new_channel", FeatureEncoder.LearnVocabulary(table)["lead_source"]);
    }

    [Fact]
    public void Every_learner_gets_trials_and_a_candidate()
    {
        foreach (var learner in HyperparameterSearchOptions.AllLearners)
        {
            Assert.Contains(search.Result.Trials, t => t.Learner == learner && t.Status == TrialStatus.Completed);
            Assert.Contains(search.Result.BestPerLearner, t => t.Learner == learner);
        }

        Assert.Equal(search.Result.BestPerLearner.Max(t => t.LatestFoldAuc), search.Result.Winner!.LatestFoldAuc);
    }

    [Fact]
    public void Only_the_learners_listed_get_trials_and_they_take_turns()
    {
        var options = SearchFixture.Options with { Trials = 4, Learners = [LearnerKind.LogisticRegression, LearnerKind.FastTree] };

        var result = HyperparameterSearch.Run(search.Leads, options, new FakeTimeProvider());

        Assert.Equal([LearnerKind.LogisticRegression, LearnerKind.FastTree, LearnerKind.LogisticRegression, LearnerKind.FastTree], result.Trials.Select(t => t.Learner));
        Assert.Equal([LearnerKind.LogisticRegression, LearnerKind.FastTree], result.BestPerLearner.Select(t => t.Learner));
    }

    [Fact]
    public void Trials_serialise_with_the_learners_wire_names_and_only_their_own_settings()
    {
        var json = Json(search.Result.Trials);

        Assert.Contains("\"learner\": \"fasttree\"", json, StringComparison.Ordinal);
        Assert.Contains("\"learner\": \"logistic-regression\"", json, StringComparison.Ordinal);
        Assert.Contains("\"learner\": \"lightgbm\"", json, StringComparison.Ordinal);
        Assert.All(search.Result.Trials, t => Assert.Equal(1, new object?[] { t.Parameters.LightGbm, t.Parameters.FastTree, t.Parameters.Logistic }.Count(s => s is not null)));
    }

    [Fact]
    public void Boosted_trials_record_the_trees_early_stopping_kept()
    {
        var boosted = search.Result.Trials.Where(t => t.Learner != LearnerKind.LogisticRegression).SelectMany(t => t.Parameters.LightGbm is { } l ? t.Folds.Select(f => (f.Trees, Max: l.Iterations)) : t.Folds.Select(f => (f.Trees, Max: t.Parameters.FastTree!.Iterations)));

        Assert.All(boosted, f => Assert.InRange(f.Trees!.Value, 1, f.Max));
        Assert.All(search.Result.Trials.Where(t => t.Learner == LearnerKind.LogisticRegression).SelectMany(t => t.Folds), f => Assert.Null(f.Trees));
    }

    [Fact]
    public void The_wall_time_budget_stops_the_search_early()
    {
        var clock = new FakeTimeProvider();
        var seen = 0;
        // Each evaluation "takes" a minute; the budget allows four.
        var progress = new CallbackProgress(_ =>
        {
            seen++;
            clock.Advance(TimeSpan.FromMinutes(1));
        });

        var result = HyperparameterSearch.Run(search.Leads, SearchFixture.Options with { WallTime = TimeSpan.FromMinutes(3.5) }, clock, progress);

        Assert.Equal(SearchStop.WallTime, result.Stop);
        Assert.Equal(4, seen);
        Assert.Equal(4, result.Trials.Sum(t => t.Folds.Count));
        Assert.True(result.Trials.Count < SearchFixture.Options.Trials);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Stopped, t.Status));
        Assert.Null(result.Winner);
    }

    [Fact]
    public void The_winner_on_drifting_leads_beats_a_deliberately_bad_setting_on_the_latest_fold()
    {
        var split = search.Result.LatestFoldSplit();
        var bad = Final with { LightGbm = new LightGbmSettings(Leaves: 2, Iterations: 2, LearningRate: 0.01, MinimumLeafCount: 500) };

        var winner = ModelTrainer.Train(search.Leads, split, search.Result.Winner!.ToTrainingOptions(Final), new DataSource(null, null), new FakeTimeProvider());
        var fixedBad = ModelTrainer.Train(search.Leads, split, bad, new DataSource(null, null), new FakeTimeProvider());

        Assert.True(winner.Metadata.Metrics.Auc > fixedBad.Metadata.Metrics.Auc + 0.05, $"winner {winner.Metadata.Metrics.Auc:F4} vs bad {fixedBad.Metadata.Metrics.Auc:F4}");
        Assert.True(search.Result.Winner!.LatestFoldAuc > 0.6, $"winner's latest-fold AUC {search.Result.Winner.LatestFoldAuc:F4}");
    }

    [Fact]
    public void The_summary_records_the_search_in_the_package()
    {
        var trained = ModelTrainer.Train(search.Leads, search.Result.LatestFoldSplit(), search.Result.Winner!.ToTrainingOptions(Final), new DataSource(null, null), new FakeTimeProvider())
            .WithSearch(search.Result.Summary());

        var loaded = ModelPackage.Load(ModelPackage.Pack(trained).ToArchive());

        var recorded = loaded.Metadata.Parameters.Search!;
        Assert.Equal(search.Result.Winner!.Number, recorded.WinnerTrial);
        Assert.Equal(search.Result.Trials.Count, recorded.Trials);
        Assert.Equal(search.Result.Count(TrialStatus.Pruned), recorded.Pruned);
        Assert.Equal(["lightgbm", "fasttree", "logistic-regression"], recorded.Learners);
        Assert.Equal(LearnerNames.Name(search.Result.Winner.Learner), loaded.Metadata.Parameters.Learner);
    }

    [Fact]
    public void A_table_without_timestamps_is_refused()
    {
        var untimed = new LeadTable(search.Leads.Schema, search.Leads.Columns, search.Leads.Ids, timestamps: null, search.Leads.Labels, search.Leads.Revenue);

        var error = Assert.Throws<LeadDataException>(() => HyperparameterSearch.Run(untimed, SearchFixture.Options, new FakeTimeProvider()));

        Assert.Contains("no timestamp column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_token_stops_the_search()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new CallbackProgress(_ => cancel.Cancel());

        Assert.ThrowsAny<OperationCanceledException>(() => HyperparameterSearch.Run(search.Leads, SearchFixture.Options, new FakeTimeProvider(), progress, cancel.Token));
    }

    public static TheoryData<HyperparameterSearchOptions, string> BadOptions => new()
    {
        { new HyperparameterSearchOptions(Trials: 0), "Trials" },
        { new HyperparameterSearchOptions(Trials: 2), "Trials" },
        { new HyperparameterSearchOptions(Folds: 1), "Folds" },
        { new HyperparameterSearchOptions(WallTime: TimeSpan.Zero), "WallTime" },
        { new HyperparameterSearchOptions(Threads: 0), "Threads" },
        { new HyperparameterSearchOptions(Eta: 1), "Eta" },
        { new HyperparameterSearchOptions(EarlyStoppingRounds: -1), "EarlyStoppingRounds" },
        { new HyperparameterSearchOptions(Learners: []), "Learners" },
        { new HyperparameterSearchOptions(Learners: [LearnerKind.FastTree, LearnerKind.FastTree]), "Learners" },
        { new HyperparameterSearchOptions(Space: new SearchSpace { LearningRate = new(0, 0.1) }), "Space.LearningRate" },
        { new HyperparameterSearchOptions(Space: new SearchSpace { Leaves = new(40, 10) }), "Space.Leaves" },
        { new HyperparameterSearchOptions(Space: new SearchSpace { BaggingFraction = new(0.5, 1.5) }), "Space.BaggingFraction" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_refused_naming_the_option(HyperparameterSearchOptions options, string named)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => HyperparameterSearch.Run(search.Leads, options, new FakeTimeProvider()));

        Assert.Equal(named, error.ParamName);
    }

    [Theory]
    [InlineData(2, 3, new[] { 1, 2 })]
    [InlineData(3, 3, new[] { 1, 3 })]
    [InlineData(5, 3, new[] { 1, 2, 5 })]
    [InlineData(10, 3, new[] { 1, 2, 4, 10 })]
    [InlineData(5, 2, new[] { 1, 2, 3, 5 })]
    public void Rungs_evaluate_more_folds_each_time_and_end_with_all(int folds, int eta, int[] budgets)
    {
        Assert.Equal(budgets, HyperparameterSearch.RungBudgets(folds, eta));
    }

    private static string Json(IReadOnlyList<TrialResult> trials) => JsonSerializer.Serialize(trials, PackageJson.Options);

    // Progress<T> posts to the thread pool; these tests need each report on the searching thread, at once.
    private sealed class CallbackProgress(Action<SearchProgress> report) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => report(value);
    }
}
