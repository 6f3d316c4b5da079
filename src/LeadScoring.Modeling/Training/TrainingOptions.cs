namespace LeadScoring.Modeling.Training;

/// <summary>
/// LightGBM settings. The defaults (120 trees of 15 leaves, learning rate 0.08) matched 250 trees at 0.04 on
/// held-out AUC for both the X Education and simulated leads, at half the scoring cost.
/// </summary>
/// <param name="Leaves">Maximum leaves per tree.</param>
/// <param name="Iterations">Boosting rounds (trees).</param>
/// <param name="LearningRate">Shrinkage per tree.</param>
/// <param name="MinimumLeafCount">Minimum leads per leaf.</param>
/// <param name="FeatureFraction">Share of features tried per tree.</param>
/// <param name="BaggingFraction">Share of rows sampled per tree (every iteration).</param>
/// <param name="L2">L2 regularisation of leaf values.</param>
public sealed record LightGbmSettings(
    int Leaves = 15,
    int Iterations = 120,
    double LearningRate = 0.08,
    int MinimumLeafCount = 20,
    double FeatureFraction = 0.8,
    double BaggingFraction = 0.8,
    double L2 = 1.0)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting LightGBM would reject (it aborts the process on some).</summary>
    public void Validate()
    {
        Require(Leaves >= 2, nameof(Leaves), Leaves, "at least 2");
        Require(Iterations >= 1, nameof(Iterations), Iterations, "at least 1");
        Require(LearningRate is > 0 and <= 1, nameof(LearningRate), LearningRate, "in (0, 1]");
        Require(MinimumLeafCount >= 1, nameof(MinimumLeafCount), MinimumLeafCount, "at least 1");
        Require(FeatureFraction is > 0 and <= 1, nameof(FeatureFraction), FeatureFraction, "in (0, 1]");
        Require(BaggingFraction is > 0 and <= 1, nameof(BaggingFraction), BaggingFraction, "in (0, 1]");
        Require(L2 >= 0 && double.IsFinite(L2), nameof(L2), L2, "finite and at least 0");
    }

    internal static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule} (got {value})");
        }
    }
}

/// <summary>How to train: split, calibration, encoding, the learner and its settings.</summary>
/// <param name="Seed">Seeds the split, the folds and the learner: same data and options give the same model.</param>
/// <param name="TestFraction">Share of rows held out for the reported metrics (when the trainer makes the split).</param>
/// <param name="CalibrationFolds">Folds for the out-of-fold scores that fit the Platt calibrator and pick the threshold.</param>
/// <param name="MinCategoryCount">Categories rarer than this in training share the "other" token.</param>
/// <param name="LightGbm">LightGBM settings (used when <paramref name="Learner"/> is LightGBM).</param>
/// <param name="Threads">Threads of the tree learners (results are deterministic for a given count).</param>
/// <param name="Learner">Which learner to train; LightGBM by default.</param>
/// <param name="FastTree">FastTree settings (used when <paramref name="Learner"/> is FastTree).</param>
/// <param name="Logistic">Logistic-regression settings (used when <paramref name="Learner"/> is logistic regression).</param>
public sealed record TrainingOptions(
    int Seed = 42,
    double TestFraction = 0.2,
    int CalibrationFolds = 5,
    int MinCategoryCount = Core.Features.FeatureEncoder.DefaultMinCategoryCount,
    LightGbmSettings? LightGbm = null,
    int Threads = 2,
    LearnerKind Learner = LearnerKind.LightGbm,
    FastTreeSettings? FastTree = null,
    LogisticSettings? Logistic = null)
{
    /// <summary>LightGBM settings, defaults when not given.</summary>
    public LightGbmSettings LightGbmOrDefault => LightGbm ?? new LightGbmSettings();

    /// <summary>FastTree settings, defaults when not given.</summary>
    public FastTreeSettings FastTreeOrDefault => FastTree ?? new FastTreeSettings();

    /// <summary>Logistic-regression settings, defaults when not given.</summary>
    public LogisticSettings LogisticOrDefault => Logistic ?? new LogisticSettings();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        LightGbmSettings.Require(TestFraction is > 0 and < 1, nameof(TestFraction), TestFraction, "in (0, 1)");
        LightGbmSettings.Require(CalibrationFolds >= 2, nameof(CalibrationFolds), CalibrationFolds, "at least 2");
        LightGbmSettings.Require(MinCategoryCount >= 1, nameof(MinCategoryCount), MinCategoryCount, "at least 1");
        LightGbmSettings.Require(Threads >= 1, nameof(Threads), Threads, "at least 1");
        LightGbmSettings.Require(Enum.IsDefined(Learner), nameof(Learner), Learner, "lightgbm, fasttree or logistic-regression");
        LightGbmOrDefault.Validate();
        FastTreeOrDefault.Validate();
        LogisticOrDefault.Validate();
    }
}
