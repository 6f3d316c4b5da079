using LeadScoring.Core.Data;
using LeadScoring.Core.Validation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tuning;

/// <summary>A finished search: every trial started, each learner's best, and the winner.</summary>
/// <param name="Trials">Every trial that was evaluated on at least one fold, by number.</param>
/// <param name="BestPerLearner">Each learner's completed trial with the best mean fold AUC, in learner order.</param>
/// <param name="Winner">
/// Among <paramref name="BestPerLearner"/>, the one with the best AUC on the latest fold; null when no trial completed
/// (the wall-time budget ran out before any survivor reached every fold).
/// </param>
/// <param name="Folds">The time folds, earliest first; the last is the latest.</param>
/// <param name="Learners">The learners searched.</param>
/// <param name="Seed">The search's seed.</param>
/// <param name="Eta">The halving rate.</param>
/// <param name="Stop">Why the search ended.</param>
/// <param name="Elapsed">How long it took, on its clock.</param>
public sealed record SearchResult(
    IReadOnlyList<TrialResult> Trials,
    IReadOnlyList<TrialResult> BestPerLearner,
    TrialResult? Winner,
    IReadOnlyList<TimeFold> Folds,
    IReadOnlyList<LearnerKind> Learners,
    int Seed,
    int Eta,
    SearchStop Stop,
    TimeSpan Elapsed)
{
    /// <summary>The latest fold: where candidates are judged (and a gate compares them with Production).</summary>
    public TimeFold LatestFold => Folds[^1];

    /// <summary>Trials with <paramref name="status"/>.</summary>
    public int Count(TrialStatus status) => Trials.Count(t => t.Status == status);

    /// <summary>The latest fold as a training split: train on its training rows, hold out its validation rows.</summary>
    public DataSplit LatestFoldSplit() => ToSplit(LatestFold);

    /// <summary>A time fold as a training split for <see cref="ModelTrainer"/>.</summary>
    public static DataSplit ToSplit(TimeFold fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return new DataSplit(SplitKind.Time, [.. fold.Train], [.. fold.Validation], fold.ValidationFrom);
    }

    /// <summary>What to record in the chosen model's metadata (<see cref="TrainedModel.WithSearch"/>).</summary>
    /// <exception cref="InvalidOperationException">No trial completed, so there is no winner.</exception>
    public SearchSummary Summary()
    {
        var winner = Winner ?? throw new InvalidOperationException("the search has no winner: no trial was evaluated on every fold before it stopped");
        return new SearchSummary(
            $"random search with successive halving (eta {Eta}) over {Folds.Count} expanding-window time folds; winner = best latest-fold AUC among each learner's best mean-AUC trial",
            Seed,
            Folds.Count,
            Trials.Count,
            Count(TrialStatus.Completed),
            Count(TrialStatus.Pruned),
            Count(TrialStatus.Failed),
            Count(TrialStatus.Stopped),
            [.. Learners.Select(LearnerNames.Name)],
            winner.Number,
            winner.MeanAuc,
            winner.LatestFoldAuc ?? double.NaN);
    }
}
