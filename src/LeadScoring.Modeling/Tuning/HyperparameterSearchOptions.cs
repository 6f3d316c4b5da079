using LeadScoring.Core.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tuning;

/// <summary>How to search: budgets, folds, learners and the space to draw from.</summary>
/// <param name="Trials">Trials to draw (the trial budget); the learners take turns, so each gets about Trials / learners.</param>
/// <param name="Folds">Expanding-window time folds; survivors are evaluated on all of them.</param>
/// <param name="WallTime">Wall-time budget, checked on the search's clock before each fold evaluation; null = none.</param>
/// <param name="Seed">Seeds the draws and the learners: the same table and options give the same trials and scores.</param>
/// <param name="Threads">Threads of the tree learners (scores are deterministic for a given count).</param>
/// <param name="Learners">Learners to search (null = LightGBM, FastTree and logistic regression).</param>
/// <param name="Eta">Successive halving keeps the best 1/Eta of each learner's trials at every rung.</param>
/// <param name="EarlyStoppingRounds">Boosted learners stop when the validation fold's loss (LightGBM: log loss; FastTree: L2) has not improved for this many rounds; fold scores record the trees the model kept; 0 = off.</param>
/// <param name="MinCategoryCount">Categories rarer than this in a fold's training part share the "other" token.</param>
/// <param name="Space">Where settings are drawn from (null = <see cref="SearchSpace"/>'s defaults).</param>
public sealed record HyperparameterSearchOptions(
    int Trials = 50,
    int Folds = 5,
    TimeSpan? WallTime = null,
    int Seed = 42,
    int Threads = 2,
    IReadOnlyList<LearnerKind>? Learners = null,
    int Eta = 3,
    int EarlyStoppingRounds = 20,
    int MinCategoryCount = FeatureEncoder.DefaultMinCategoryCount,
    SearchSpace? Space = null)
{
    /// <summary>Every learner, in the order trials take turns.</summary>
    public static readonly IReadOnlyList<LearnerKind> AllLearners = [LearnerKind.LightGbm, LearnerKind.FastTree, LearnerKind.LogisticRegression];

    /// <summary>The learners searched.</summary>
    public IReadOnlyList<LearnerKind> LearnersOrAll => Learners ?? AllLearners;

    /// <summary>The space searched.</summary>
    public SearchSpace SpaceOrDefault => Space ?? new SearchSpace();

    /// <summary>Throws <see cref="ArgumentException"/> (or its out-of-range kind) naming the first option that cannot work.</summary>
    public void Validate()
    {
        Require(Folds >= 2, nameof(Folds), Folds, "at least 2");
        Require(Eta >= 2, nameof(Eta), Eta, "at least 2");
        Require(Threads >= 1, nameof(Threads), Threads, "at least 1");
        Require(EarlyStoppingRounds >= 0, nameof(EarlyStoppingRounds), EarlyStoppingRounds, "at least 0");
        Require(MinCategoryCount >= 1, nameof(MinCategoryCount), MinCategoryCount, "at least 1");
        Require(WallTime is null || WallTime > TimeSpan.Zero, nameof(WallTime), WallTime!, "positive (or null for no budget)");
        var learners = LearnersOrAll;
        if (learners.Count == 0 || learners.Distinct().Count() != learners.Count || learners.Any(l => !Enum.IsDefined(l)))
        {
            throw new ArgumentException($"{nameof(Learners)} must list at least one learner, each once (got {string.Join(", ", learners)})", nameof(Learners));
        }

        Require(Trials >= learners.Count, nameof(Trials), Trials, $"at least the number of learners ({learners.Count}), so every learner gets a trial");
        SpaceOrDefault.Validate();
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule} (got {value})");
        }
    }
}
