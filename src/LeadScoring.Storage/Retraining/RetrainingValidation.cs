using System.Globalization;
using System.Text.Json;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Storage.Retraining;

/// <summary>
/// Checks what the retraining store is given before anything is written: a bad field is an
/// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the field ("OptionsJson",
/// "Trials[2].ParametersJson") and whose message starts with it. Free-text details that come from errors (a status
/// detail, an event's detail, a trial's error) are cut to <see cref="MaxDetailLength"/> instead, so recording a
/// failure never fails on its message.
/// </summary>
public static class RetrainingValidation
{
    /// <summary>Longest requester, actor, worker, learner or trial status.</summary>
    public const int MaxNameLength = RegistryNames.MaxActorLength;

    /// <summary>Longest reason or trigger detail (refused when longer).</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>Longest status detail, event detail or trial error (cut when longer).</summary>
    public const int MaxDetailLength = 4_000;

    /// <summary>Longest JSON field.</summary>
    public const int MaxJsonLength = 1_000_000;

    /// <summary>Checks a run to queue.</summary>
    public static void Validate(NewRetrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Require(
            RegistryNames.IsValidModelName(run.ModelName),
            nameof(NewRetrainingRun.ModelName),
            Text($"'{run.ModelName}' is not a model name: 1–{RegistryNames.MaxModelNameLength} letters, digits, '-', '_' or '.' (not dots only)"));
        Require(Enum.IsDefined(run.Trigger), nameof(NewRetrainingRun.Trigger), Text($"{(int)run.Trigger} is not a retraining trigger"));
        ValidateText(run.TriggerDetail, nameof(NewRetrainingRun.TriggerDetail));
        ValidateName(run.RequestedBy, nameof(NewRetrainingRun.RequestedBy));
        ValidateText(run.Reason, nameof(NewRetrainingRun.Reason));
        ValidateJsonObject(run.OptionsJson, nameof(NewRetrainingRun.OptionsJson), required: true);
    }

    /// <summary>Checks a status change (not whether the run's state allows it: the store does that under the row's lock).</summary>
    public static void Validate(RetrainingRunUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Require(Enum.IsDefined(update.Status), nameof(RetrainingRunUpdate.Status), Text($"{(int)update.Status} is not a retraining status"));
        ValidateJsonObject(update.DataJson, nameof(RetrainingRunUpdate.DataJson), required: false);
        ValidateJsonObject(update.SearchJson, nameof(RetrainingRunUpdate.SearchJson), required: false);
        ValidateJsonObject(update.GateJson, nameof(RetrainingRunUpdate.GateJson), required: false);
        Require(update.CandidateVersion is null or >= 1, nameof(RetrainingRunUpdate.CandidateVersion), Text($"{update.CandidateVersion} is not a version: versions are numbered from 1"));
        Require(update.DeploymentId is null or >= 1, nameof(RetrainingRunUpdate.DeploymentId), Text($"{update.DeploymentId} is not a deployment id"));
    }

    /// <summary>Checks trials for run <paramref name="runId"/> (each must carry that run's id).</summary>
    public static void Validate(long runId, IReadOnlyList<RetrainingTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        for (var i = 0; i < trials.Count; i++)
        {
            var at = Text($"Trials[{i}]");
            var trial = trials[i];
            Require(trial is not null, at, "is null");
            Require(trial!.RunId == runId, at + ".RunId", Text($"{trial.RunId} is not the run the trials are added to ({runId})"));
            Require(trial.Number >= 0, at + ".Number", Text($"{trial.Number} is negative"));
            ValidateName(trial.Learner, at + ".Learner");
            ValidateJsonObject(trial.ParametersJson, at + ".ParametersJson", required: true);
            ValidateJson(trial.FoldScoresJson, at + ".FoldScoresJson", required: true, arrayAllowed: true);
            Require(trial.MeanScore is null || double.IsFinite(trial.MeanScore.Value), at + ".MeanScore", "must be finite or null");
            Require(trial.LatestFoldScore is null || double.IsFinite(trial.LatestFoldScore.Value), at + ".LatestFoldScore", "must be finite or null");
            ValidateName(trial.Status, at + ".Status");
            Require(double.IsFinite(trial.DurationMs) && trial.DurationMs >= 0, at + ".DurationMs", Text($"must be finite and not negative; got {trial.DurationMs}"));
        }
    }

    /// <summary>Checks a list query.</summary>
    public static void Validate(RetrainingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize < 1 || query.PageSize > RetrainingStore.MaxPageSize)
        {
            throw OutOfRange(nameof(RetrainingQuery.PageSize), query.PageSize, Text($"PageSize must be 1–{RetrainingStore.MaxPageSize}"));
        }

        Require(query.Status is null || Enum.IsDefined(query.Status.Value), nameof(RetrainingQuery.Status), "is not a retraining status");
        Require(query.Trigger is null || Enum.IsDefined(query.Trigger.Value), nameof(RetrainingQuery.Trigger), "is not a retraining trigger");
    }

    /// <summary>A required name (requester, actor, worker, learner, step): 1–<see cref="MaxNameLength"/> characters, not blank.</summary>
    internal static void ValidateName(string? value, string field) =>
        Require(!string.IsNullOrWhiteSpace(value) && value.Length <= MaxNameLength, field, Text($"is required (1–{MaxNameLength} characters, not blank)"));

    internal static void ValidateLease(TimeSpan lease)
    {
        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "lease must be more than zero");
        }
    }

    /// <summary>The detail, cut to <see cref="MaxDetailLength"/> (ending in "…") when longer.</summary>
    internal static string? Cut(string? detail) =>
        detail is null || detail.Length <= MaxDetailLength ? detail : string.Concat(detail.AsSpan(0, MaxDetailLength - 1), "…");

    private static void ValidateText(string? value, string field) =>
        Require(value is null || value.Length <= MaxReasonLength, field, Text($"is longer than {MaxReasonLength} characters"));

    private static void ValidateJsonObject(string? json, string field, bool required) => ValidateJson(json, field, required, arrayAllowed: false);

    private static void ValidateJson(string? json, string field, bool required, bool arrayAllowed)
    {
        var what = arrayAllowed ? "a JSON object or array" : "a JSON object";
        if (json is null)
        {
            Require(!required, field, $"is required ({what})");
            return;
        }

        Require(json.Length <= MaxJsonLength, field, Text($"is longer than {MaxJsonLength} characters"));
        JsonValueKind kind;
        try
        {
            using var document = JsonDocument.Parse(json);
            kind = document.RootElement.ValueKind;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{field} must be {what}: {e.Message}", field, e);
        }

        Require(kind == JsonValueKind.Object || (arrayAllowed && kind == JsonValueKind.Array), field, Text($"must be {what}, not {kind.ToString().ToLowerInvariant()}"));
    }

    private static void Require(bool ok, string field, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {problem}", field);
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string field, object value, string message) => new(field, value, message);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
