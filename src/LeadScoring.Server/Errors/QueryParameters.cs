using System.Globalization;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Server.Errors;

/// <summary>
/// The query parameters every listing route reads the same way (a time, a [from, to) range, a page cursor and size);
/// a bad one is an <see cref="InvalidRequestException"/> naming it, answered as 400.
/// </summary>
internal static class QueryParameters
{
    /// <summary>An RFC 3339 time, or null when absent.</summary>
    public static DateTimeOffset? Time(string? text, string field) =>
        text is null ? null
        : OutcomeTimes.TryParse(text, out var value, out var problem) ? value
        : throw Invalid(field, problem);

    /// <summary>Refuses a range whose end is not after its start.</summary>
    public static void Ordered(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } f && to is { } t && t <= f)
        {
            throw Invalid("to", "must be after from");
        }
    }

    /// <summary>A name as a filter (a rule, a model): absent, or a non-blank name of at most <paramref name="maxLength"/> characters.</summary>
    public static string? Name(string? text, string field, int maxLength) =>
        text is null ? null
        : string.IsNullOrWhiteSpace(text) ? throw Invalid(field, "must be a name when given, not blank")
        : text.Length > maxLength ? throw Invalid(field, string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters; the limit is {maxLength}"))
        : text;

    /// <summary>The page cursor: an id of <paramref name="what"/> (a run, an alert), or null for the first page.</summary>
    public static long? Before(string? text, string what) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1 ? id
        : throw Invalid("before", $"must be {what} id (a whole number, at least 1): the next_before of the previous page");

    /// <summary>The page size in [1, <paramref name="max"/>], <paramref name="fallback"/> when absent.</summary>
    public static int PageSize(string? text, int fallback, int max) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 && size <= max ? size
        : throw Invalid("page_size", string.Create(CultureInfo.InvariantCulture, $"must be a whole number between 1 and {max}"));

    /// <summary>The 400 naming <paramref name="field"/>.</summary>
    public static InvalidRequestException Invalid(string field, string problem) => new(field, problem, "Invalid query");
}
