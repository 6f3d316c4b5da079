using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// A monitoring run asked for now (kind <see cref="MonitoringRunKinds.Manual"/>): <paramref name="ModelName"/>'s leads
/// first scored in [<paramref name="From"/>, <paramref name="To"/>), one run per (version, arm) that scored any,
/// optionally only <paramref name="ModelVersion"/> and/or <paramref name="Arm"/>.
/// </summary>
public sealed record MonitoringRunRequest(string ModelName, DateTimeOffset From, DateTimeOffset To, int? ModelVersion = null, string? Arm = null)
{
    /// <summary>The longest window a manual run reads (a year): longer ones are refused rather than read.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);
}

/// <summary>A monitoring run was asked for a model the registry does not know.</summary>
public sealed class MonitoringModelNotFoundException : Exception
{
    public MonitoringModelNotFoundException(string message)
        : base(message)
    {
    }

    public MonitoringModelNotFoundException()
        : this("no such model")
    {
    }

    public MonitoringModelNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
