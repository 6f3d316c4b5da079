using System.Text.Json.Serialization;

namespace LeadScoring.Modeling.Training;

/// <summary>The learners a model can be trained with.</summary>
public enum LearnerKind
{
    /// <summary>LightGBM gradient-boosted trees (the default).</summary>
    [JsonStringEnumMemberName("lightgbm")]
    LightGbm,

    /// <summary>ML.NET's FastTree gradient-boosted trees.</summary>
    [JsonStringEnumMemberName("fasttree")]
    FastTree,

    /// <summary>L-BFGS logistic regression on imputed, standardised features (the project's baseline).</summary>
    [JsonStringEnumMemberName("logistic-regression")]
    LogisticRegression,
}

/// <summary>Learner names as packages, the CLI and the API spell them.</summary>
public static class LearnerNames
{
    /// <summary>Every learner with its wire name.</summary>
    public static readonly IReadOnlyDictionary<string, LearnerKind> All = new Dictionary<string, LearnerKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["lightgbm"] = LearnerKind.LightGbm,
        ["fasttree"] = LearnerKind.FastTree,
        ["logistic-regression"] = LearnerKind.LogisticRegression,
    };

    /// <summary>The wire name of a learner ("lightgbm", "fasttree", "logistic-regression").</summary>
    public static string Name(LearnerKind learner) => learner switch
    {
        LearnerKind.LightGbm => "lightgbm",
        LearnerKind.FastTree => "fasttree",
        LearnerKind.LogisticRegression => "logistic-regression",
        _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, "unknown learner"),
    };

    /// <summary>Parses a wire name; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public static LearnerKind Parse(string name) =>
        All.TryGetValue(name, out var learner) ? learner : throw new ArgumentException($"unknown learner '{name}'; expected one of: {string.Join(", ", All.Keys)}", nameof(name));

    /// <summary>How progress lines name a learner.</summary>
    internal static string Display(LearnerKind learner) => learner switch
    {
        LearnerKind.LightGbm => "LightGBM",
        LearnerKind.FastTree => "FastTree",
        _ => "logistic regression",
    };
}

/// <summary>FastTree settings (ML.NET's own gradient-boosted trees; no leaf-value L2 term).</summary>
/// <param name="Leaves">Maximum leaves per tree.</param>
/// <param name="Iterations">Boosting rounds (trees).</param>
/// <param name="LearningRate">Shrinkage per tree.</param>
/// <param name="MinimumLeafCount">Minimum leads per leaf.</param>
/// <param name="FeatureFraction">Share of features tried per tree.</param>
/// <param name="BaggingFraction">Share of rows sampled per tree (1 = no bagging).</param>
public sealed record FastTreeSettings(
    int Leaves = 15,
    int Iterations = 120,
    double LearningRate = 0.08,
    int MinimumLeafCount = 20,
    double FeatureFraction = 0.8,
    double BaggingFraction = 0.8)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        LightGbmSettings.Require(Leaves >= 2, nameof(Leaves), Leaves, "at least 2");
        LightGbmSettings.Require(Iterations >= 1, nameof(Iterations), Iterations, "at least 1");
        LightGbmSettings.Require(LearningRate is > 0 and <= 1, nameof(LearningRate), LearningRate, "in (0, 1]");
        LightGbmSettings.Require(MinimumLeafCount >= 1, nameof(MinimumLeafCount), MinimumLeafCount, "at least 1");
        LightGbmSettings.Require(FeatureFraction is > 0 and <= 1, nameof(FeatureFraction), FeatureFraction, "in (0, 1]");
        LightGbmSettings.Require(BaggingFraction is > 0 and <= 1, nameof(BaggingFraction), BaggingFraction, "in (0, 1]");
    }
}

/// <summary>Logistic-regression settings; the defaults are the baseline's (L2 = 1, no L1).</summary>
/// <param name="L1">L1 regularisation weight.</param>
/// <param name="L2">L2 regularisation weight.</param>
public sealed record LogisticSettings(double L1 = 0, double L2 = 1)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        LightGbmSettings.Require(L1 >= 0 && double.IsFinite(L1), nameof(L1), L1, "finite and at least 0");
        LightGbmSettings.Require(L2 >= 0 && double.IsFinite(L2), nameof(L2), L2, "finite and at least 0");
    }
}
