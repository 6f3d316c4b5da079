using System.Globalization;
using System.Text.Json;
using LeadScoring.Core.Alerting;

namespace LeadScoring.Storage.Alerting;

/// <summary>
/// Checks what the alert store is given before anything is written: a bad field is an <see cref="ArgumentException"/>
/// whose <see cref="ArgumentException.ParamName"/> is the field ("batch.Findings[2].Rule") and whose message starts with it.
/// </summary>
internal static class AlertValidation
{
    /// <summary>Longest rule name, source, checkpoint name, model name or person.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest subject.</summary>
    public const int MaxSubjectLength = 500;

    /// <summary>Longest summary, reason or note.</summary>
    public const int MaxTextLength = 2_000;

    /// <summary>Longest figures JSON.</summary>
    public const int MaxFiguresLength = 100_000;

    public static void Validate(AlertFindingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireName(batch.Source, "batch.Source");
        Require(batch.Findings is not null, "batch.Findings", "must not be null");
        if (batch.Checkpoint is { } checkpoint)
        {
            RequireName(checkpoint.Name, "batch.Checkpoint.Name");
        }

        for (var i = 0; i < batch.Findings!.Count; i++)
        {
            Validate(batch.Findings[i], Text($"batch.Findings[{i}]"));
        }
    }

    public static void ValidateSilence(NewSilence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        RequireOptionalName(silence.Rule, "silence.Rule", MaxNameLength);
        RequireOptionalName(silence.Subject, "silence.Subject", MaxSubjectLength);
        RequireOptionalName(silence.Model, "silence.Model", MaxNameLength);
        Require(silence.EndsAt > silence.StartsAt, "silence.EndsAt", "must be after StartsAt");
        RequireName(silence.CreatedBy, "silence.CreatedBy");
        RequireText(silence.Reason, "silence.Reason");
    }

    public static void ValidateAcknowledgement(string by, string? note)
    {
        RequireName(by, "by");
        Require(note is null || note.Length <= MaxTextLength, "note", Text($"must be at most {MaxTextLength} characters"));
    }

    public static void ValidateWorker(string worker) => RequireName(worker, "worker");

    public static void ValidateOutcome(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Require(double.IsFinite(outcome.DurationMilliseconds) && outcome.DurationMilliseconds >= 0, "outcome.DurationMilliseconds", "must be finite and not negative");
    }

    public static void Require(bool ok, string field, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {problem}", field);
        }
    }

    public static void RequireName(string? value, string field) =>
        Require(!string.IsNullOrWhiteSpace(value) && value.Length <= MaxNameLength, field, Text($"is required (1–{MaxNameLength} characters, not blank)"));

    private static void Validate(AlertFinding? finding, string at)
    {
        Require(finding is not null, at, "must not be null");
        RequireName(finding!.Rule, at + ".Rule");
        Require(!string.IsNullOrWhiteSpace(finding.Subject) && finding.Subject.Length <= MaxSubjectLength, at + ".Subject", Text($"is required (1–{MaxSubjectLength} characters, not blank)"));
        RequireOptionalName(finding.Model, at + ".Model", MaxNameLength);
        Require(Enum.IsDefined(finding.Level), at + ".Level", Text($"{(int)finding.Level} is not an alert level"));
        RequireText(finding.Summary, at + ".Summary");
        Require(finding.FiguresJson is not null && finding.FiguresJson.Length <= MaxFiguresLength && IsJsonObject(finding.FiguresJson), at + ".FiguresJson", "must be a JSON object");
        Require(finding.Channels is not null, at + ".Channels", "must not be null (empty: stored and shown only)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < finding.Channels!.Count; c++)
        {
            var channel = finding.Channels[c];
            var field = Text($"{at}.Channels[{c}]");
            Require(channel is not null && AlertChannels.All.Contains(channel), field, $"must be one of {string.Join(", ", AlertChannels.All.Order(StringComparer.Ordinal))}; got '{channel}'");
            Require(seen.Add(channel!), field, $"repeats '{channel}'");
        }

        Require(finding.Cooldown > TimeSpan.Zero, at + ".Cooldown", Text($"must be positive; got {finding.Cooldown}"));
    }

    private static void RequireText(string? value, string field) =>
        Require(!string.IsNullOrWhiteSpace(value) && value.Length <= MaxTextLength, field, Text($"is required (1–{MaxTextLength} characters, not blank)"));

    private static void RequireOptionalName(string? value, string field, int maxLength) =>
        Require(value is null || (!string.IsNullOrWhiteSpace(value) && value.Length <= maxLength), field, Text($"must be null (any) or 1–{maxLength} characters, not blank"));

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
