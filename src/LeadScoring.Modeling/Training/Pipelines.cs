using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// The ML.NET pipelines, from the encoded feature vector to a score. LightGBM takes the vector as it is (it
/// learns where missing values go); the logistic baseline first flags and mean-imputes missing values and
/// standardises every slot.
/// </summary>
internal static class Pipelines
{
    public static IEstimator<ITransformer> LightGbm(MLContext ml, TrainingOptions options)
    {
        var s = options.Learner;
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = s.Leaves,
            NumberOfIterations = s.Iterations,
            LearningRate = s.LearningRate,
            MinimumExampleCountPerLeaf = s.MinimumLeafCount,
            HandleMissingValue = true,
            Seed = options.Seed,
            Deterministic = true,
            NumberOfThreads = options.Threads,
            Silent = true,
            Verbose = false,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = s.FeatureFraction,
                SubsampleFraction = s.BaggingFraction,
                SubsampleFrequency = s.BaggingFraction < 1 ? 1 : 0,
                L2Regularization = s.L2,
            },
        });
        return trainer;
    }

    public static IEstimator<ITransformer> LogisticBaseline(MLContext ml) =>
        ml.Transforms.IndicateMissingValues("Missing", nameof(ModelInput.Features))
            .Append(ml.Transforms.Conversion.ConvertType("MissingFlag", "Missing", DataKind.Single))
            .Append(ml.Transforms.ReplaceMissingValues("Filled", nameof(ModelInput.Features), MissingValueReplacingEstimator.ReplacementMode.Mean))
            .Append(ml.Transforms.NormalizeMeanVariance("Scaled", "Filled"))
            .Append(ml.Transforms.Concatenate("BaselineFeatures", "Scaled", "MissingFlag"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: "BaselineFeatures", l2Regularization: 1f, l1Regularization: 0f));
}
