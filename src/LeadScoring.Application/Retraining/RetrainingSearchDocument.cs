using System.Text.Json;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tuning;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// A finished search as a run keeps it (its SearchJson): the strategy, the folds, the counts by outcome, each
/// learner's best and the winner with its settings. The trials themselves are stored row by row
/// (<see cref="ToStored"/>).
/// </summary>
public sealed record RetrainingSearchDocument(
    string Strategy,
    int Seed,
    string Stop,
    double ElapsedSeconds,
    int Trials,
    int Completed,
    int Pruned,
    int Failed,
    int Stopped,
    IReadOnlyList<string> Learners,
    IReadOnlyList<RetrainingFoldDocument> Folds,
    IReadOnlyList<RetrainingTrialSummary> BestPerLearner,
    RetrainingTrialSummary Best)
{
    /// <summary>The document of <paramref name="result"/>, which must have a winner.</summary>
    public static RetrainingSearchDocument From(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = result.Summary();
        return new RetrainingSearchDocument(
            summary.Strategy,
            result.Seed,
            result.Stop == SearchStop.WallTime ? "wall_time" : "finished",
            result.Elapsed.TotalSeconds,
            summary.Trials,
            summary.Completed,
            summary.Pruned,
            summary.Failed,
            summary.Stopped,
            summary.Learners,
            [.. result.Folds.Select(f => new RetrainingFoldDocument(f.Index, f.Train.Count, f.Validation.Count, f.ValidationFrom, f.ValidationTo))],
            [.. result.BestPerLearner.Select(RetrainingTrialSummary.Of)],
            RetrainingTrialSummary.Of(result.Winner!));
    }

    /// <summary>A trial as the store keeps it; <paramref name="status"/> overrides the trial's own (e.g. "running" while the search goes on).</summary>
    public static RetrainingTrial ToStored(long runId, TrialResult trial, string? status = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new RetrainingTrial(
            runId,
            trial.Number,
            LearnerNames.Name(trial.Learner),
            JsonSerializer.Serialize(trial.Parameters, RetrainingJson.Options),
            JsonSerializer.Serialize(trial.Folds, RetrainingJson.Options),
            trial.Folds.Count == 0 ? null : trial.MeanAuc,
            trial.LatestFoldAuc,
            status ?? StatusName(trial),
            trial.Error,
            trial.Duration.TotalMilliseconds);
    }

    /// <summary>A trial's status as stored: completed, pruned (at rung r), failed, stopped.</summary>
    public static string StatusName(TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.Status switch
        {
            TrialStatus.Completed => "completed",
            TrialStatus.Pruned => "pruned",
            TrialStatus.Failed => "failed",
            _ => "stopped",
        };
    }

    /// <summary>As stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RetrainingJson.Options);
}

/// <summary>One time fold of the search.</summary>
public sealed record RetrainingFoldDocument(int Index, int TrainRows, int ValidationRows, DateTimeOffset ValidationFrom, DateTimeOffset ValidationTo);

/// <summary>A trial in brief: number, learner, settings and scores.</summary>
public sealed record RetrainingTrialSummary(int Number, string Learner, string Settings, string ParametersJson, double? MeanAuc, double? LatestFoldAuc)
{
    /// <summary>The summary of <paramref name="trial"/>.</summary>
    public static RetrainingTrialSummary Of(TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new(
            trial.Number,
            LearnerNames.Name(trial.Learner),
            trial.Parameters.ToString(),
            JsonSerializer.Serialize(trial.Parameters, RetrainingJson.Options),
            trial.Folds.Count == 0 ? null : trial.MeanAuc,
            trial.LatestFoldAuc);
    }
}
