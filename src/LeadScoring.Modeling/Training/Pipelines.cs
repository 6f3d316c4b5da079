using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// The ML.NET pipelines, from the encoded feature vector to a score. The tree learners take the vector as it is
/// (they learn where missing values go); logistic regression first flags and mean-imputes missing values and
/// standardises every slot.
/// </summary>
internal static class Pipelines
{
    /// <summary>The pipeline of <paramref name="options"/>' learner with its settings.</summary>
    public static IEstimator<ITransformer> For(MLContext ml, TrainingOptions options) => options.Learner switch
    {
        LearnerKind.LightGbm => LightGbm(ml, options.LightGbmOrDefault, options.Seed, options.Threads),
        LearnerKind.FastTree => FastTree(ml, options.FastTreeOrDefault, options.Seed, options.Threads),
        _ => Logistic(ml, options.LogisticOrDefault),
    };

    /// <summary>LightGBM; with <paramref name="earlyStoppingRounds"/> it stops when the validation log loss has not improved for that many rounds.</summary>
    public static LightGbmBinaryTrainer LightGbm(MLContext ml, LightGbmSettings s, int seed, int threads, int earlyStoppingRounds = 0) =>
        ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = s.Leaves,
            NumberOfIterations = s.Iterations,
            LearningRate = s.LearningRate,
            MinimumExampleCountPerLeaf = s.MinimumLeafCount,
            HandleMissingValue = true,
            Seed = seed,
            Deterministic = true,
            NumberOfThreads = threads,
            Silent = true,
            Verbose = false,
            EarlyStoppingRound = earlyStoppingRounds,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = s.FeatureFraction,
                SubsampleFraction = s.BaggingFraction,
                SubsampleFrequency = s.BaggingFraction < 1 ? 1 : 0,
                L2Regularization = s.L2,
            },
        });

    /// <summary>
    /// FastTree; with <paramref name="earlyStoppingRounds"/> it stops once the validation L2 loss has stayed worse than
    /// its best that many rounds in a row, and keeps the best ensemble (a validation set must be given to Fit).
    /// </summary>
    public static FastTreeBinaryTrainer FastTree(MLContext ml, FastTreeSettings s, int seed, int threads, int earlyStoppingRounds = 0)
    {
        var options = new FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = s.Leaves,
            NumberOfTrees = s.Iterations,
            LearningRate = s.LearningRate,
            MinimumExampleCountPerLeaf = s.MinimumLeafCount,
            FeatureFraction = s.FeatureFraction,
            BaggingSize = s.BaggingFraction < 1 ? 1 : 0,
            BaggingExampleFraction = s.BaggingFraction,
            Seed = seed,
            FeatureSelectionSeed = seed,
            NumberOfThreads = threads,
        };
        if (earlyStoppingRounds > 0)
        {
            // Its setter rejects null, so the rule is only ever set, never cleared.
            options.EarlyStoppingRule = new ConsecutiveGeneralityLossRule(earlyStoppingRounds);
            options.EarlyStoppingMetric = EarlyStoppingMetric.L2Norm;
        }

        return ml.BinaryClassification.Trainers.FastTree(options);
    }

    /// <summary>Logistic regression with imputation and standardisation; the baseline is this with default settings.</summary>
    public static IEstimator<ITransformer> Logistic(MLContext ml, LogisticSettings s) =>
        ml.Transforms.IndicateMissingValues("Missing", nameof(ModelInput.Features))
            .Append(ml.Transforms.Conversion.ConvertType("MissingFlag", "Missing", DataKind.Single))
            .Append(ml.Transforms.ReplaceMissingValues("Filled", nameof(ModelInput.Features), MissingValueReplacingEstimator.ReplacementMode.Mean))
            .Append(ml.Transforms.NormalizeMeanVariance("Scaled", "Filled"))
            .Append(ml.Transforms.Concatenate("BaselineFeatures", "Scaled", "MissingFlag"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: "BaselineFeatures", l2Regularization: (float)s.L2, l1Regularization: (float)s.L1));

    /// <summary>The logistic-regression baseline every model's metrics are compared with.</summary>
    public static IEstimator<ITransformer> LogisticBaseline(MLContext ml) => Logistic(ml, new LogisticSettings());
}
