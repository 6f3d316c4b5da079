using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tuning;

/// <summary>A closed range a hyper-parameter is drawn from.</summary>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record ParameterRange(double Min, double Max);

/// <summary>
/// Where the search draws settings from. Scale-like settings (learning rate, leaves, trees, minimum leaf size,
/// regularisation) are drawn log-uniformly, so each order of magnitude is tried as often; fractions uniformly.
/// Every trial draws every value in the same order whatever its learner, so the learners listed do not change
/// which values a trial number gets.
/// </summary>
public sealed record SearchSpace
{
    /// <summary>Boosting learning rate (log-uniform).</summary>
    public ParameterRange LearningRate { get; init; } = new(0.01, 0.3);

    /// <summary>Maximum leaves per tree (log-uniform, whole).</summary>
    public ParameterRange Leaves { get; init; } = new(4, 64);

    /// <summary>Most boosting rounds (log-uniform, whole); early stopping may use fewer.</summary>
    public ParameterRange Iterations { get; init; } = new(50, 400);

    /// <summary>Minimum leads per leaf (log-uniform, whole).</summary>
    public ParameterRange MinimumLeafCount { get; init; } = new(5, 200);

    /// <summary>Share of features per tree (uniform).</summary>
    public ParameterRange FeatureFraction { get; init; } = new(0.5, 1.0);

    /// <summary>Share of rows per tree (uniform).</summary>
    public ParameterRange BaggingFraction { get; init; } = new(0.5, 1.0);

    /// <summary>LightGBM's L2 on leaf values (log-uniform).</summary>
    public ParameterRange TreeL2 { get; init; } = new(0.001, 10);

    /// <summary>Logistic regression's L1 weight (log-uniform).</summary>
    public ParameterRange LogisticL1 { get; init; } = new(0.0001, 1);

    /// <summary>Logistic regression's L2 weight (log-uniform).</summary>
    public ParameterRange LogisticL2 { get; init; } = new(0.0001, 10);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first range a learner would reject.</summary>
    public void Validate()
    {
        Check(LearningRate, nameof(LearningRate), 0, 1, positive: true);
        Check(Leaves, nameof(Leaves), 2, 131_072, positive: true);
        Check(Iterations, nameof(Iterations), 1, 100_000, positive: true);
        Check(MinimumLeafCount, nameof(MinimumLeafCount), 1, 1_000_000, positive: true);
        Check(FeatureFraction, nameof(FeatureFraction), 0, 1, positive: true);
        Check(BaggingFraction, nameof(BaggingFraction), 0, 1, positive: true);
        Check(TreeL2, nameof(TreeL2), 0, double.MaxValue, positive: true);
        Check(LogisticL1, nameof(LogisticL1), 0, double.MaxValue, positive: true);
        Check(LogisticL2, nameof(LogisticL2), 0, double.MaxValue, positive: true);
    }

    /// <summary>Draws one trial's settings for <paramref name="learner"/>.</summary>
    internal TrialParameters Sample(Random random, LearnerKind learner)
    {
        var learningRate = LogUniform(random, LearningRate);
        var leaves = LogInteger(random, Leaves);
        var iterations = LogInteger(random, Iterations);
        var minimumLeaf = LogInteger(random, MinimumLeafCount);
        var featureFraction = Uniform(random, FeatureFraction);
        var baggingFraction = Uniform(random, BaggingFraction);
        var treeL2 = LogUniform(random, TreeL2);
        var l1 = LogUniform(random, LogisticL1);
        var l2 = LogUniform(random, LogisticL2);
        return learner switch
        {
            LearnerKind.LightGbm => new TrialParameters(learner, LightGbm: new LightGbmSettings(leaves, iterations, learningRate, minimumLeaf, featureFraction, baggingFraction, treeL2)),
            LearnerKind.FastTree => new TrialParameters(learner, FastTree: new FastTreeSettings(leaves, iterations, learningRate, minimumLeaf, featureFraction, baggingFraction)),
            _ => new TrialParameters(learner, Logistic: new LogisticSettings(l1, l2)),
        };
    }

    private static void Check(ParameterRange? range, string name, double floor, double ceiling, bool positive)
    {
        var option = "Space." + name;
        if (range is null)
        {
            throw new ArgumentOutOfRangeException(option, "the range must be given");
        }

        var ok = double.IsFinite(range.Min) && double.IsFinite(range.Max) && range.Min <= range.Max
            && (positive ? range.Min > floor : range.Min >= floor) && range.Max <= ceiling;
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(option, range, $"{option} must be finite with Min <= Max, Min > {floor} and Max <= {ceiling} (got {range.Min} to {range.Max})");
        }
    }

    private static double Uniform(Random random, ParameterRange range) => range.Min + (random.NextDouble() * (range.Max - range.Min));

    private static double LogUniform(Random random, ParameterRange range) =>
        Math.Exp(Math.Log(range.Min) + (random.NextDouble() * (Math.Log(range.Max) - Math.Log(range.Min))));

    // Log-uniform over the whole numbers of the range: floor of a draw from [Min, Max + 1).
    private static int LogInteger(Random random, ParameterRange range)
    {
        var low = Math.Ceiling(range.Min);
        var high = Math.Max(low, Math.Floor(range.Max));
        var value = Math.Floor(Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high + 1) - Math.Log(low)))));
        return (int)Math.Clamp(value, low, high);
    }
}
