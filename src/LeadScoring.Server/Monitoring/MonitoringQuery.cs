using System.Globalization;
using LeadScoring.Server.Errors;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Monitoring;

/// <summary>
/// Parses the monitoring routes' query parameters and body fields; a bad one is an <see cref="InvalidRequestException"/>
/// naming it, answered as 400 (parsed here, not by binding, so the problem names the parameter instead of "body").
/// </summary>
internal static class MonitoringQuery
{
    public const int DefaultPageSize = 100;

    /// <summary>How far back a series reaches when <c>from</c> is not given.</summary>
    public static readonly TimeSpan DefaultSeriesSpan = TimeSpan.FromDays(30);

    public static int? Version(string? text, string field = "version") =>
        text is null ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v
        : throw Invalid(field, "must be a whole number, at least 1");

    public static string? Arm(string? text, string field = "arm") =>
        text is null || ServingArms.All.Contains(text) ? text : throw Invalid(field, $"must be one of {string.Join(", ", ServingArms.All.Order(StringComparer.Ordinal))}");

    public static string? Kind(string? text) =>
        text is null || MonitoringRunKinds.All.Contains(text) ? text : throw Invalid("kind", $"must be one of {string.Join(", ", MonitoringRunKinds.All.Order(StringComparer.Ordinal))}");

    public static DateTimeOffset? Time(string? text, string field) => QueryParameters.Time(text, field);

    public static void Ordered(DateTimeOffset? from, DateTimeOffset? to) => QueryParameters.Ordered(from, to);

    public static long? Before(string? text) => QueryParameters.Before(text, "a run");

    public static int PageSize(string? text) => QueryParameters.PageSize(text, DefaultPageSize, MonitoringStore.MaxPageSize);

    public static string Required(string? text, string field, string what) =>
        string.IsNullOrWhiteSpace(text) ? throw Invalid(field, "is required: " + what) : text;

    public static InvalidRequestException Invalid(string field, string problem) => QueryParameters.Invalid(field, problem);
}
