using System.Text.Json;
using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Core.Schema;
using LeadScoring.Server.Errors;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Server.Alerting;

/// <summary>
/// Parses the alert routes' query parameters and body fields; a bad one is an <see cref="InvalidRequestException"/>
/// naming it, answered as 400 (parsed here, not by binding, so the problem names the parameter instead of "body").
/// </summary>
internal static class AlertQuery
{
    public const int DefaultPageSize = 50;

    /// <summary>Longest rule, subject, model or person name accepted (they are names, not texts).</summary>
    public const int MaxNameLength = 200;

    public static AlertState? State(string? text) =>
        text is null ? null
        : AlertNames.TryParseState(text, out var state) ? state
        : throw Invalid("state", $"must be one of {string.Join(", ", AlertNames.States)}; got '{Shown(text)}'");

    public static AlertLevel? Level(string? text) =>
        text is null ? null
        : AlertNames.TryParseLevel(text, out var level) ? level
        : throw Invalid("level", $"must be one of {string.Join(", ", AlertNames.Levels)}; got '{Shown(text)}'");

    /// <summary>A rule's or model's name as a filter: absent, or a non-blank name.</summary>
    public static string? Name(string? text, string field) => QueryParameters.Name(text, field, MaxNameLength);

    public static DateTimeOffset? Time(string? text, string field) => QueryParameters.Time(text, field);

    public static void Ordered(DateTimeOffset? from, DateTimeOffset? to) => QueryParameters.Ordered(from, to);

    public static long? Before(string? text) => QueryParameters.Before(text, "an alert");

    public static int PageSize(string? text) => QueryParameters.PageSize(text, DefaultPageSize, AlertStore.MaxPageSize);

    public static bool Flag(string? text, string field) =>
        text switch
        {
            null => false,
            "true" => true,
            "false" => false,
            _ => throw Invalid(field, $"must be true or false; got '{Shown(text)}'"),
        };

    public static InvalidRequestException Invalid(string field, string problem) => QueryParameters.Invalid(field, problem);

    /// <summary>Refuses a field the body does not have, suggesting the one probably meant.</summary>
    public static void OnlyFields(JsonElement body, string[] known)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                var hint = NameSuggestions.Closest(property.Name, known);
                throw new InvalidRequestException(property.Name, hint is null
                    ? $"is not a known field; expected {string.Join(", ", known)}"
                    : $"is not a known field; did you mean '{hint}'?");
            }
        }
    }

    /// <summary>A string field: null when absent or null; a non-string, or a blank or too long text, is refused.</summary>
    public static string? BodyText(JsonElement body, string field, int maxLength) => BodyFields.Text(body, field, maxLength);

    public static string RequiredText(JsonElement body, string field, int maxLength, string what) =>
        BodyText(body, field, maxLength) ?? throw new InvalidRequestException(field, "is required: " + what);

    public static DateTimeOffset? BodyTime(JsonElement body, string field) =>
        BodyText(body, field, 64) is not { } text ? null
        : OutcomeTimes.TryParse(text, out var at, out var problem) ? at
        : throw new InvalidRequestException(field, problem);

    public static TimeSpan? BodyDuration(JsonElement body, string field) =>
        BodyText(body, field, 64) is not { } text ? null
        : SilenceDurations.Parse(text) ?? throw new InvalidRequestException(field, $"must be {SilenceDurations.Expected}; got '{Shown(text)}'");

    private static string Shown(string text) => text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text;
}
