using System.Globalization;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>How the shadow model runs beside the champion (section LeadScoring:Shadow).</summary>
public sealed class ShadowOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Shadow";

    /// <summary>Most leads waiting for the shadow model; a lead offered beyond that is dropped (and counted).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Longest a lead may take from being offered to having its shadow score (queue wait included); a score later than
    /// that is discarded and the lead counted as timed out, so a slow shadow model never builds a backlog.
    /// </summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At shutdown, how long the leads already queued may take to be scored before the rest are dropped.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="ShadowOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class ShadowOptionsValidator : IValidateOptions<ShadowOptions>
{
    public const int MaxQueueCapacity = 1_000_000;
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, ShadowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            failures.Add(Message($"QueueCapacity must be between 1 and {MaxQueueCapacity} leads (got {options.QueueCapacity})"));
        }

        if (options.TimeBudget <= TimeSpan.Zero || options.TimeBudget > Longest)
        {
            failures.Add(Message($"TimeBudget must be more than 0 and at most 1 minute (got {options.TimeBudget})"));
        }

        if (options.ShutdownDrain < TimeSpan.Zero || options.ShutdownDrain > Longest)
        {
            failures.Add(Message($"ShutdownDrain must be between 0 and 1 minute (got {options.ShutdownDrain})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(FormattableString problem) => ShadowOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
