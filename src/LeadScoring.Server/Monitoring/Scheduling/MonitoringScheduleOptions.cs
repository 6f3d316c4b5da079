using System.Globalization;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.Options;
using Quartz;

namespace LeadScoring.Server.Monitoring.Scheduling;

/// <summary>
/// When the scheduled monitoring checks run (section LeadScoring:Monitoring:Schedules). Each schedule is a Quartz cron
/// expression, read in UTC, with six or seven fields: seconds, minutes, hours, day of month, month, day of week
/// (one of the two day fields is <c>?</c>) and an optional year; e.g. <c>0 5 * * * ?</c> is five past every hour.
/// An empty value turns that kind of check off.
/// </summary>
public sealed class MonitoringScheduleOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Monitoring:Schedules";

    /// <summary>Whether the scheduler runs at all; false registers no scheduler (no Quartz tables are touched).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The distribution and data-quality check: by default five past every hour.</summary>
    public string? Hourly { get; set; } = "0 5 * * * ?";

    /// <summary>PSI and performance: by default daily at 00:15 UTC.</summary>
    public string? Daily { get; set; } = "0 15 0 * * ?";

    /// <summary>The full drift report: by default Mondays at 00:30 UTC.</summary>
    public string? Weekly { get; set; } = "0 30 0 ? * MON";

    /// <summary>Each kind (<see cref="MonitoringRunKinds"/>) with its cron expression, or null when that kind is off.</summary>
    public IReadOnlyList<(string Kind, string? Cron)> Schedules =>
    [
        (MonitoringRunKinds.Hourly, Normalize(Hourly)),
        (MonitoringRunKinds.Daily, Normalize(Daily)),
        (MonitoringRunKinds.Weekly, Normalize(Weekly)),
    ];

    /// <summary>The configuration key of a kind's schedule, for messages.</summary>
    public static string KeyOf(string kind) =>
        SectionName + ":" + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(kind);

    private static string? Normalize(string? cron) => string.IsNullOrWhiteSpace(cron) ? null : cron.Trim();
}

/// <summary>Checks <see cref="MonitoringScheduleOptions"/> at start-up: every configured expression must parse; each failure names its key.</summary>
internal sealed class MonitoringScheduleOptionsValidator : IValidateOptions<MonitoringScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var (kind, cron) in options.Schedules)
        {
            if (cron is null)
            {
                continue;
            }

            try
            {
                CronExpression.Parse(cron);
            }
            catch (FormatException e)
            {
                failures.Add($"{MonitoringScheduleOptions.KeyOf(kind)} is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]; got '{cron}'): {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
