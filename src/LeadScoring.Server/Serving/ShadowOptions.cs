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

    /// <summary>The window over which <see cref="MaxBusyShare"/> is measured.</summary>
    public static readonly TimeSpan BusyWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Most of the time the shadow model may spend scoring (0–1 of one thread's time, over windows of 100 ms); leads
    /// beyond it are shed and counted. A shadow model that needs more (a much larger model, or one that blocks) would
    /// otherwise take a core from the requests. At the default, one that scores a lead in 5 µs keeps up with 50,000
    /// leads per second.
    /// </summary>
    public double MaxBusyShare { get; set; } = 0.25;

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

        if (!(options.MaxBusyShare > 0 && options.MaxBusyShare <= 1))
        {
            failures.Add(Message($"MaxBusyShare must be more than 0 and at most 1 (got {options.MaxBusyShare})"));
        }

        if (options.ShutdownDrain < TimeSpan.Zero || options.ShutdownDrain > Longest)
        {
            failures.Add(Message($"ShutdownDrain must be between 0 and 1 minute (got {options.ShutdownDrain})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(FormattableString problem) => ShadowOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
