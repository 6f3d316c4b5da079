using System.Text.Json.Nodes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Tests.Support;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Modeling.Tests.Training;

public sealed class LearnerChoiceTests
{
    private static readonly LeadTable Leads = LeadSimulator.Generate(new SimulationOptions(2500, Seed: 23)).Table;

    public static TheoryData<TrainingOptions, string> EachLearner => new()
    {
        { TrainedModels.Quick, "lightgbm" },
        { TrainedModels.Quick with { Learner = LearnerKind.FastTree, FastTree = new FastTreeSettings(Iterations: 40) }, "fasttree" },
        { TrainedModels.Quick with { Learner = LearnerKind.LogisticRegression, Logistic = new LogisticSettings(L1: 0.01, L2: 0.5) }, "logistic-regression" },
    };

    [Theory]
    [MemberData(nameof(EachLearner))]
    public void A_package_of_each_learner_packs_loads_and_scores_like_the_trained_model(TrainingOptions options, string learner)
    {
        var trained = ModelTrainer.Train(Leads, options, new DataSource(null, null), new FakeTimeProvider());
        var fresh = new LeadScorer(trained.Ml, trained.Model, trained.Encoder);
        var probe = LeadSimulator.Generate(new SimulationOptions(300, Seed: 3)).Table;

        var package = ModelPackage.Load(ModelPackage.Pack(trained).ToArchive());

        Assert.Equal(learner, package.Metadata.Parameters.Learner);
        Assert.Equal(256, package.Probe());
        Assert.Equal(fresh.Score(probe), package.Scorer.Score(probe));
        Assert.True(package.Metadata.Metrics.Auc > 0.75, $"{learner} held-out ROC AUC {package.Metadata.Metrics.Auc:F4}");
    }

    [Fact]
    public void The_parameters_record_only_the_chosen_learners_settings()
    {
        var fastTree = ModelTrainer.Train(Leads, TrainedModels.Quick with { Learner = LearnerKind.FastTree, FastTree = new FastTreeSettings(Leaves: 9, Iterations: 30) }, new DataSource(null, null), new FakeTimeProvider());
        var logistic = ModelTrainer.Train(Leads, TrainedModels.Quick with { Learner = LearnerKind.LogisticRegression, Logistic = new LogisticSettings(L1: 0.25, L2: 2) }, new DataSource(null, null), new FakeTimeProvider());

        Assert.Equal(new FastTreeSettings(Leaves: 9, Iterations: 30), fastTree.Metadata.Parameters.FastTree);
        Assert.Null(fastTree.Metadata.Parameters.LightGbm);
        Assert.Null(fastTree.Metadata.Parameters.Logistic);
        Assert.Equal(new LogisticSettings(0.25, 2), logistic.Metadata.Parameters.Logistic);
        Assert.Null(logistic.Metadata.Parameters.LightGbm);
        var json = JsonNode.Parse(ModelPackage.Load(ModelPackage.Pack(fastTree).ToArchive()).MetadataJson)!["parameters"]!;
        Assert.Equal("fasttree", json["learner"]!.GetValue<string>());
        Assert.Equal(9, json["fast_tree"]!["leaves"]!.GetValue<int>());
    }

    [Fact]
    public void A_lightgbm_packages_parameters_keep_the_format_older_packages_have()
    {
        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), new FakeTimeProvider());

        var parameters = JsonNode.Parse(ModelPackage.Load(ModelPackage.Pack(trained).ToArchive()).MetadataJson)!["parameters"]!.AsObject();

        Assert.Equal(
            ["learner", "light_gbm", "seed", "test_fraction", "calibration", "calibration_folds", "min_category_count", "threads"],
            parameters.Select(p => p.Key));
        Assert.Equal(40, parameters["light_gbm"]!["iterations"]!.GetValue<int>());
    }

    [Fact]
    public void A_caller_given_split_trains_on_its_rows_and_exposes_the_held_out_probabilities()
    {
        var train = Enumerable.Range(0, 1500).ToArray();
        var heldOut = Enumerable.Range(1500, 600).ToArray();
        var split = new DataSplit(SplitKind.Time, train, heldOut, Leads.Timestamps![1500]);

        var trained = ModelTrainer.Train(Leads, split, TrainedModels.Quick, new DataSource(null, null), new FakeTimeProvider());
        var package = ModelPackage.Load(ModelPackage.Pack(trained).ToArchive());

        Assert.Equal(heldOut, trained.HeldOutRows);
        Assert.Equal(1500, trained.Metadata.Data.TrainRows);
        Assert.Equal(600, trained.Metadata.Data.TestRows);
        Assert.Equal(Leads.Timestamps[1500], trained.Metadata.Data.TestFrom);
        Assert.Equal(2100, trained.Profile.Rows);
        var rescored = package.Scorer.Score(Leads.Select(heldOut));
        Assert.Equal(600, trained.HeldOutProbabilities.Count);
        Assert.All(Enumerable.Range(0, 600), i => Assert.Equal(rescored[i], trained.HeldOutProbabilities[i], 1e-6));
    }

    [Fact]
    public void The_default_split_exposes_its_held_out_rows_too()
    {
        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), new FakeTimeProvider());

        Assert.Equal(DataSplit.Create(Leads, 0.2, 42).Test, trained.HeldOutRows);
        Assert.Equal(trained.HeldOutRows.Count, trained.HeldOutProbabilities.Count);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 }, new[] { 2, 3 }, "row 2 twice")]
    [InlineData(new[] { 0, 1, 2 }, new[] { 9999 }, "row 9999, outside")]
    [InlineData(new int[0], new[] { 3 }, "needs training and held-out rows")]
    public void A_split_that_cannot_be_trained_on_is_refused(int[] train, int[] test, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelTrainer.Train(Leads, new DataSplit(SplitKind.Time, train, test, null), TrainedModels.Quick, new DataSource(null, null), new FakeTimeProvider()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal("split", error.ParamName);
    }

    [Fact]
    public void Learner_names_round_trip_and_unknown_ones_are_refused()
    {
        foreach (var learner in Enum.GetValues<LearnerKind>())
        {
            Assert.Equal(learner, LearnerNames.Parse(LearnerNames.Name(learner)));
        }

        var error = Assert.Throws<ArgumentException>(() => LearnerNames.Parse("xgboost"));
        Assert.Contains("lightgbm, fasttree, logistic-regression", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0.1, "Leaves")]
    [InlineData(10, 0.0, "LearningRate")]
    public void FastTree_settings_out_of_range_are_refused_before_training(int leaves, double learningRate, string named)
    {
        var options = TrainedModels.Quick with { Learner = LearnerKind.FastTree, FastTree = new FastTreeSettings(Leaves: leaves, LearningRate: learningRate) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelTrainer.Train(Leads, options, new DataSource(null, null), new FakeTimeProvider()));

        Assert.Equal(named, error.ParamName);
    }

    [Fact]
    public void Negative_regularisation_is_refused_before_training()
    {
        var options = TrainedModels.Quick with { Learner = LearnerKind.LogisticRegression, Logistic = new LogisticSettings(L1: -1) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelTrainer.Train(Leads, options, new DataSource(null, null), new FakeTimeProvider()));

        Assert.Equal("L1", error.ParamName);
    }
}
