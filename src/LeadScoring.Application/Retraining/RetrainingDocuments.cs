using System.Text.Json;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>A run as the API shows it; its stored documents (options, data, search, gate) are embedded as JSON objects.</summary>
public sealed record RetrainingRunDocument(
    long Id,
    string Model,
    string Trigger,
    string? TriggerDetail,
    string RequestedBy,
    string? Reason,
    string Status,
    string? StatusDetail,
    bool Finished,
    int? CandidateVersion,
    long? DeploymentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    JsonElement Options,
    JsonElement? Data,
    JsonElement? Search,
    JsonElement? Gate)
{
    /// <summary>The document of <paramref name="run"/>.</summary>
    public static RetrainingRunDocument Of(RetrainingRun run) => new(
        run.Id,
        run.ModelName,
        RetrainingNames.Of(run.Trigger),
        run.TriggerDetail,
        run.RequestedBy,
        run.Reason,
        RetrainingNames.Of(run.Status),
        run.StatusDetail,
        RetrainingNames.IsTerminal(run.Status),
        run.CandidateVersion,
        run.DeploymentId,
        run.CreatedAt,
        run.StartedAt,
        run.UpdatedAt,
        run.EndedAt,
        Parse(run.OptionsJson)!.Value,
        Parse(run.DataJson),
        Parse(run.SearchJson),
        Parse(run.GateJson));

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A page of runs, newest first; <paramref name="NextBefore"/> continues it.</summary>
public sealed record RetrainingPageDocument(IReadOnlyList<RetrainingRunDocument> Runs, long? NextBefore)
{
    /// <summary>The document of <paramref name="page"/>.</summary>
    public static RetrainingPageDocument Of(RetrainingPage page) => new([.. page.Runs.Select(RetrainingRunDocument.Of)], page.NextBefore);
}

/// <summary>One trial of a run's search.</summary>
public sealed record RetrainingTrialDocument(int Number, string Learner, string Status, JsonElement Parameters, JsonElement Folds, double? MeanAuc, double? LatestFoldAuc, string? Error, double DurationMs)
{
    /// <summary>The document of <paramref name="trial"/>.</summary>
    public static RetrainingTrialDocument Of(RetrainingTrial trial)
    {
        using var parameters = JsonDocument.Parse(trial.ParametersJson);
        using var folds = JsonDocument.Parse(trial.FoldScoresJson);
        return new(trial.Number, trial.Learner, trial.Status, parameters.RootElement.Clone(), folds.RootElement.Clone(), trial.MeanScore, trial.LatestFoldScore, trial.Error, trial.DurationMs);
    }
}

/// <summary>One step recorded on a run.</summary>
public sealed record RetrainingEventDocument(DateTimeOffset At, string Step, string Actor, string? Detail)
{
    /// <summary>The document of <paramref name="e"/>.</summary>
    public static RetrainingEventDocument Of(RetrainingEvent e) => new(e.At, e.Step, e.Actor, e.Detail);
}

/// <summary>A run with its trials and its steps.</summary>
public sealed record RetrainingRunDetailDocument(RetrainingRunDocument Run, IReadOnlyList<RetrainingTrialDocument> Trials, IReadOnlyList<RetrainingEventDocument> Events)
{
    /// <summary>The document of <paramref name="detail"/>.</summary>
    public static RetrainingRunDetailDocument Of(RetrainingRunDetail detail) => new(
        RetrainingRunDocument.Of(detail.Run),
        [.. detail.Trials.Select(RetrainingTrialDocument.Of)],
        [.. detail.Events.Select(RetrainingEventDocument.Of)]);
}
