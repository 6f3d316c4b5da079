using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>What a drift report is about, printed at its top.</summary>
/// <param name="ModelName">The model's name.</param>
/// <param name="ModelVersion">Its registry version; null for a package folder that was never registered.</param>
/// <param name="Subject">What was compared with the reference: a data file's name, or a monitoring window ("2026-03-01 to 2026-03-08").</param>
/// <param name="GeneratedAt">When the report was made (from the caller's <see cref="TimeProvider"/>).</param>
public sealed record DriftReportHeader(string ModelName, int? ModelVersion, string Subject, DateTimeOffset GeneratedAt)
{
    /// <summary>A header stamped with <paramref name="time"/>'s current UTC time.</summary>
    public static DriftReportHeader Create(string modelName, int? modelVersion, string subject, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new DriftReportHeader(modelName, modelVersion, subject, time.GetUtcNow());
    }
}

/// <summary>Everything a drift report shows: the monitoring run's findings, the reference they were measured against, and the header.</summary>
/// <param name="Header">Model, subject and time.</param>
/// <param name="Report">The window's findings (<see cref="WindowMonitor.Analyze"/>).</param>
/// <param name="Reference">The reference profile the findings were measured against (its row count and conversion rate are shown).</param>
public sealed record DriftReportInput(DriftReportHeader Header, WindowReport Report, ReferenceProfile Reference);
