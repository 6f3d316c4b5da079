using System.Text.Json;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Server.Monitoring;

/// <summary>A stored monitoring run (without its summary and figures; see <see cref="MonitoringRunDetailResponse"/>).</summary>
public sealed record MonitoringRunResponse(
    long Id,
    string Kind,
    string Model,
    int? Version,
    string? Arm,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Status,
    string? ReportPath)
{
    internal static MonitoringRunResponse From(StoredMonitoringRun stored)
    {
        var r = stored.Run;
        return new(stored.Id, r.Kind, r.ModelName, r.ModelVersion, r.Arm, r.WindowFrom, r.WindowTo, r.StartedAt, r.FinishedAt, r.Status, r.ReportPath);
    }
}

/// <summary>One page of runs, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page (null: this was the last).</summary>
public sealed record MonitoringRunPageResponse(MonitoringRunResponse[] Runs, long? NextBefore);

/// <summary>One figure of a run.</summary>
public sealed record MonitoringFigureResponse(string Metric, string? Feature, double Value, double? PValue, string? Verdict)
{
    internal static MonitoringFigureResponse From(MonitoringFigure f) => new(f.Metric, f.Feature, f.Value, f.PValue, f.Verdict);
}

/// <summary>A run with its summary document (the window report and the run's context) and every figure.</summary>
public sealed record MonitoringRunDetailResponse(MonitoringRunResponse Run, JsonElement Summary, MonitoringFigureResponse[] Figures)
{
    internal static MonitoringRunDetailResponse From(MonitoringRunDetail detail)
    {
        using var summary = JsonDocument.Parse(detail.Run.Run.SummaryJson);
        return new(MonitoringRunResponse.From(detail.Run), summary.RootElement.Clone(), [.. detail.Figures.Select(MonitoringFigureResponse.From)]);
    }
}

/// <summary>One point of a series.</summary>
public sealed record MonitoringSeriesPointResponse(long RunId, string Kind, DateTimeOffset WindowFrom, DateTimeOffset WindowTo, string Status, double Value, double? PValue, string? Verdict)
{
    internal static MonitoringSeriesPointResponse From(MonitoringSeriesPoint p) => new(p.RunId, p.Kind, p.WindowFrom, p.WindowTo, p.Status, p.Value, p.PValue, p.Verdict);
}

/// <summary>A figure's history in one scope, ordered by window end.</summary>
public sealed record MonitoringSeriesResponse(
    string Model,
    string Metric,
    string? Feature,
    int? Version,
    string? Arm,
    string? Kind,
    DateTimeOffset From,
    DateTimeOffset To,
    MonitoringSeriesPointResponse[] Points);

/// <summary>POST /monitoring/runs: run now over a window (times as RFC 3339, e.g. 2026-03-01T09:30:00Z).</summary>
public sealed record StartMonitoringRunBody(string Model, string From, string To, int? Version, string? Arm);
