using System.Globalization;
using LeadScoring.Storage.Outcomes;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Outcomes;

/// <summary>Limits of POST /outcomes (section <see cref="SectionName"/>), validated at start.</summary>
public sealed class OutcomesOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Outcomes";

    /// <summary>How far an outcome's occurred_at may be ahead of the service's clock (the CRM's clock may run ahead).</summary>
    public TimeSpan ClockSkew { get; set; } = OutcomeTimes.DefaultClockSkew;

    /// <summary>Most outcomes accepted by one POST /outcomes.</summary>
    public int MaxBatchSize { get; set; } = 10_000;

    /// <summary>Largest request body accepted, in bytes (413 beyond it): room for a full batch with long lead ids.</summary>
    public int MaxRequestBytes { get; set; } = 8 << 20;
}

/// <summary>Checks <see cref="OutcomesOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class OutcomesOptionsValidator : IValidateOptions<OutcomesOptions>
{
    public const int MaxBatchSizeLimit = 100_000;
    public const int MinRequestBytes = 1 << 10;
    public const int MaxRequestBytesLimit = 256 << 20;
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, OutcomesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            failures.Add(Message($"ClockSkew must be between 00:00:00 and {MaxClockSkew} (got {options.ClockSkew})"));
        }

        if (options.MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            failures.Add(Message($"MaxBatchSize must be between 1 and {MaxBatchSizeLimit} (got {options.MaxBatchSize})"));
        }

        if (options.MaxRequestBytes is < MinRequestBytes or > MaxRequestBytesLimit)
        {
            failures.Add(Message($"MaxRequestBytes must be between {MinRequestBytes} and {MaxRequestBytesLimit} (got {options.MaxRequestBytes})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(FormattableString problem) =>
        OutcomesOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
