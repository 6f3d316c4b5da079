using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Statistics;
using LeadScoring.Core.Validation;
using LeadScoring.Modeling.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace LeadScoring.Modeling.Tuning;

/// <summary>
/// One time fold, encoded once and shared by every trial: the category vocabulary is learned on the fold's training
/// part only, so no trial sees a category first met in its validation block.
/// </summary>
internal sealed class FoldData
{
    private FoldData(TimeFold fold, FeatureEncoder encoder, IDataView train, IDataView validation, bool[] validationLabels)
    {
        Fold = fold;
        Encoder = encoder;
        Train = train;
        Validation = validation;
        ValidationLabels = validationLabels;
    }

    public TimeFold Fold { get; }

    public FeatureEncoder Encoder { get; }

    public IDataView Train { get; }

    public IDataView Validation { get; }

    public bool[] ValidationLabels { get; }

    public static FoldData Encode(LeadTable table, TimeFold fold, int minCategoryCount, int seed)
    {
        var ml = new MLContext(seed);
        var train = table.Select(fold.Train);
        var validation = table.Select(fold.Validation);
        var encoder = new FeatureEncoder(table.Schema, FeatureEncoder.LearnVocabulary(train, minCategoryCount));
        return new FoldData(
            fold,
            encoder,
            ModelInput.View(ml, ModelInput.FromTable(train, encoder), encoder),
            ModelInput.View(ml, ModelInput.FromTable(validation, encoder), encoder),
            validation.Labels!);
    }
}

/// <summary>Trains one trial's learner on one fold's training rows and scores its validation rows.</summary>
internal static class FoldEvaluator
{
    public static FoldScore Evaluate(TrialParameters trial, FoldData data, HyperparameterSearchOptions options)
    {
        // A fresh context per evaluation: a trial's score never depends on which trials ran before it.
        var ml = new MLContext(options.Seed);
        ITransformer model;
        int? trees = null;
        switch (trial.Learner)
        {
            case LearnerKind.LightGbm:
                var lightGbm = Pipelines.LightGbm(ml, trial.LightGbm!, options.Seed, options.Threads, options.EarlyStoppingRounds)
                    .Fit(data.Train, options.EarlyStoppingRounds > 0 ? data.Validation : null);
                trees = lightGbm.Model.SubModel.TrainedTreeEnsemble.Trees.Count;
                model = lightGbm;
                break;
            case LearnerKind.FastTree:
                var fastTree = Pipelines.FastTree(ml, trial.FastTree!, options.Seed, options.Threads, options.EarlyStoppingRounds)
                    .Fit(data.Train, options.EarlyStoppingRounds > 0 ? data.Validation : null);
                trees = TreeCount(fastTree.Model.SubModel);
                model = fastTree;
                break;
            default:
                model = Pipelines.Logistic(ml, trial.Logistic!).Fit(data.Train);
                break;
        }

        var scored = model.Transform(data.Validation);
        var scores = scored.GetColumn<float>("Score").Select(v => (double)v).ToArray();
        var probabilities = scored.GetColumn<float>("Probability").Select(v => (double)v).ToArray();
        return new FoldScore(
            data.Fold.Index,
            data.Fold.Train.Count,
            data.Fold.Validation.Count,
            ClassificationMetrics.RocAuc(data.ValidationLabels, scores),
            ClassificationMetrics.LogLoss(data.ValidationLabels, probabilities),
            trees);
    }

    private static int TreeCount(TreeEnsembleModelParametersBasedOnRegressionTree model) => model.TrainedTreeEnsemble.Trees.Count;
}
