using System.Globalization;
using System.Text.Json.Serialization;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tuning;

/// <summary>One trial's learner and its settings (only the chosen learner's settings are set).</summary>
/// <param name="Learner">The learner.</param>
/// <param name="LightGbm">LightGBM settings, for a LightGBM trial.</param>
/// <param name="FastTree">FastTree settings, for a FastTree trial.</param>
/// <param name="Logistic">Logistic-regression settings, for a logistic-regression trial.</param>
public sealed record TrialParameters(
    LearnerKind Learner,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LightGbmSettings? LightGbm = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FastTreeSettings? FastTree = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LogisticSettings? Logistic = null)
{
    /// <summary>
    /// <paramref name="template"/> (seed, calibration, threads…) with this learner and these settings; a boosted
    /// learner's rounds become <paramref name="trees"/> when given (the trees early stopping kept).
    /// </summary>
    public TrainingOptions ApplyTo(TrainingOptions template, int? trees = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Learner switch
        {
            LearnerKind.LightGbm => template with { Learner = Learner, LightGbm = trees is { } t ? LightGbm! with { Iterations = t } : LightGbm },
            LearnerKind.FastTree => template with { Learner = Learner, FastTree = trees is { } t ? FastTree! with { Iterations = t } : FastTree },
            _ => template with { Learner = Learner, Logistic = Logistic },
        };
    }

    /// <summary>A one-line description for progress and logs.</summary>
    public override string ToString() => Learner switch
    {
        LearnerKind.LightGbm when LightGbm is { } s => string.Create(CultureInfo.InvariantCulture, $"lightgbm leaves {s.Leaves}, trees {s.Iterations}, lr {s.LearningRate:G3}, min leaf {s.MinimumLeafCount}, features {s.FeatureFraction:F2}, bagging {s.BaggingFraction:F2}, l2 {s.L2:G3}"),
        LearnerKind.FastTree when FastTree is { } s => string.Create(CultureInfo.InvariantCulture, $"fasttree leaves {s.Leaves}, trees {s.Iterations}, lr {s.LearningRate:G3}, min leaf {s.MinimumLeafCount}, features {s.FeatureFraction:F2}, bagging {s.BaggingFraction:F2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"logistic-regression l1 {Logistic?.L1:G3}, l2 {Logistic?.L2:G3}"),
    };
}

/// <summary>A trial's score on one time fold.</summary>
/// <param name="Fold">The fold's index (1 = earliest validation block).</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="ValidationRows">Rows validated on.</param>
/// <param name="Auc">ROC AUC on the validation rows.</param>
/// <param name="LogLoss">Log loss of the learner's own probabilities on the validation rows.</param>
/// <param name="Trees">Trees the boosted model kept (after early stopping); null for logistic regression.</param>
public sealed record FoldScore(int Fold, int TrainRows, int ValidationRows, double Auc, double LogLoss, int? Trees);

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Evaluated on every fold.</summary>
    Completed,

    /// <summary>Dropped by successive halving at <see cref="TrialResult.PrunedAtRung"/>.</summary>
    Pruned,

    /// <summary>Its training threw; <see cref="TrialResult.Error"/> says why.</summary>
    Failed,

    /// <summary>Cut short by the wall-time budget.</summary>
    Stopped,
}

/// <summary>One trial: what it tried, its fold scores, and how it ended.</summary>
/// <param name="Number">Trial number, from 1 in draw order.</param>
/// <param name="Parameters">Learner and settings.</param>
/// <param name="Folds">Scores on the folds evaluated, earliest first.</param>
/// <param name="LatestFoldAuc">ROC AUC on the latest fold, when it was evaluated.</param>
/// <param name="Status">How it ended.</param>
/// <param name="PrunedAtRung">For a pruned trial, the rung (0 = cheapest) after which it was dropped.</param>
/// <param name="Error">For a failed trial, the learner's message.</param>
/// <param name="Duration">Time spent evaluating it, on the search's clock.</param>
public sealed record TrialResult(
    int Number,
    TrialParameters Parameters,
    IReadOnlyList<FoldScore> Folds,
    double? LatestFoldAuc,
    TrialStatus Status,
    int? PrunedAtRung,
    string? Error,
    TimeSpan Duration)
{
    /// <summary>The trial's learner.</summary>
    public LearnerKind Learner => Parameters.Learner;

    /// <summary>Mean ROC AUC over the folds evaluated (NaN before any).</summary>
    public double MeanAuc => Folds.Count == 0 ? double.NaN : Folds.Average(f => f.Auc);

    /// <summary>
    /// Training options for this trial's settings on top of <paramref name="template"/>; a boosted learner keeps the
    /// trees early stopping kept on the latest fold evaluated (the largest training window).
    /// </summary>
    public TrainingOptions ToTrainingOptions(TrainingOptions template) =>
        Parameters.ApplyTo(template, Folds.Count > 0 ? Folds[^1].Trees : null);
}

/// <summary>One finished fold evaluation, for a terminal to show.</summary>
/// <param name="Trial">The trial's number.</param>
/// <param name="Parameters">The trial's learner and settings.</param>
/// <param name="Rung">The successive-halving rung (0 = cheapest).</param>
/// <param name="Score">The fold's score.</param>
/// <param name="Evaluations">Fold evaluations finished so far in the search.</param>
/// <param name="Elapsed">Time since the search started, on its clock.</param>
public sealed record SearchProgress(int Trial, TrialParameters Parameters, int Rung, FoldScore Score, int Evaluations, TimeSpan Elapsed)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"[{Elapsed:hh\\:mm\\:ss}] trial {Trial} rung {Rung} fold {Score.Fold}: AUC {Score.Auc:F4}, log loss {Score.LogLoss:F4}{(Score.Trees is { } t ? $", {t} trees" : "")} ({Parameters})");
}

/// <summary>Why the search ended.</summary>
public enum SearchStop
{
    /// <summary>Every rung ran.</summary>
    Finished,

    /// <summary>The wall-time budget ran out first.</summary>
    WallTime,
}
