using System.Collections.Frozen;

namespace LeadScoring.Storage.Monitoring;

/// <summary>What started a monitoring run.</summary>
public static class MonitoringRunKinds
{
    public const string Hourly = "hourly";

    public const string Daily = "daily";

    public const string Weekly = "weekly";

    public const string Manual = "manual";

    public static IReadOnlySet<string> All { get; } = new[] { Hourly, Daily, Weekly, Manual }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>How a monitoring run ended.</summary>
public static class MonitoringRunStatuses
{
    public const string Ok = "ok";

    /// <summary>The window held too few rows for a verdict (the summary says how many).</summary>
    public const string InsufficientData = "insufficient_data";

    public const string Failed = "failed";

    public static IReadOnlySet<string> All { get; } = new[] { Ok, InsufficientData, Failed }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>One monitoring run over a window of one model's predictions.</summary>
/// <param name="Kind">One of <see cref="MonitoringRunKinds"/>.</param>
/// <param name="ModelName">The registry's model name.</param>
/// <param name="ModelVersion">The version monitored; null: every version.</param>
/// <param name="Arm">The serving arm monitored (<see cref="Predictions.ServingArms"/>); null: every arm.</param>
/// <param name="WindowFrom">Start of the scoring window (inclusive).</param>
/// <param name="WindowTo">End of the scoring window (exclusive).</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it finished (not before <paramref name="StartedAt"/>).</param>
/// <param name="Status">One of <see cref="MonitoringRunStatuses"/>.</param>
/// <param name="SummaryJson">The run's summary: a JSON object, kept as given.</param>
/// <param name="ReportPath">Where its HTML report was written, when one was.</param>
public sealed record MonitoringRun(
    string Kind,
    string ModelName,
    int? ModelVersion,
    string? Arm,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Status,
    string SummaryJson,
    string? ReportPath = null);

/// <summary>One number a run computed, kept for plotting its history ("psi" of feature "country", "roc_auc" of none).</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Feature">The feature it is about, or null for a model-wide figure.</param>
/// <param name="Value">The value; finite (leave out a figure that could not be computed).</param>
/// <param name="PValue">Its test's p-value in [0, 1], when it has one.</param>
/// <param name="Verdict">A verdict ("ok", "warning", "critical", …), when one was given.</param>
public sealed record MonitoringFigure(string Metric, string? Feature, double Value, double? PValue = null, string? Verdict = null);

/// <summary>A recorded run with its id (ids grow with recording; pages use them).</summary>
public sealed record StoredMonitoringRun(long Id, MonitoringRun Run);

/// <summary>A recorded run with every figure it recorded, ordered by (metric, feature; model-wide first).</summary>
public sealed record MonitoringRunDetail(StoredMonitoringRun Run, IReadOnlyList<MonitoringFigure> Figures);

/// <summary>
/// Which runs a listing covers; every criterion is optional. <paramref name="ModelVersion"/> and
/// <paramref name="Arm"/> match runs of exactly that version or arm. <paramref name="From"/> and <paramref name="To"/>
/// bound the run's window end: runs whose window ends in [From, To).
/// </summary>
public sealed record MonitoringRunFilter(
    string? ModelName = null,
    int? ModelVersion = null,
    string? Arm = null,
    string? Kind = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>One page of runs, newest recorded first; pass <see cref="NextBefore"/> to continue (null after a short page).</summary>
public sealed record MonitoringRunPage(IReadOnlyList<StoredMonitoringRun> Rows, long? NextBefore);

/// <summary>
/// One figure's history: <paramref name="Metric"/> (of <paramref name="Feature"/>, or the model-wide one when null)
/// in the runs of <paramref name="ModelName"/> whose window ends in [<paramref name="From"/>, <paramref name="To"/>).
/// <paramref name="ModelVersion"/> and <paramref name="Arm"/> pick runs of exactly that scope: null means the runs
/// over every version (or every arm), so one series never mixes scopes. <paramref name="Kind"/> null: any kind.
/// </summary>
public sealed record MonitoringSeriesQuery(
    string ModelName,
    string Metric,
    DateTimeOffset From,
    DateTimeOffset To,
    string? Feature = null,
    int? ModelVersion = null,
    string? Arm = null,
    string? Kind = null);

/// <summary>One point of a series: the run it comes from, its window, and the figure.</summary>
public sealed record MonitoringSeriesPoint(long RunId, string Kind, DateTimeOffset WindowFrom, DateTimeOffset WindowTo, string Status, double Value, double? PValue, string? Verdict);
