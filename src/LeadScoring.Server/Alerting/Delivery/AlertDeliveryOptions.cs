using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>How the outbox is worked through (section LeadScoring:Alerting:Delivery).</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Alerting:Delivery";

    /// <summary>How long the worker waits between passes unless signalled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per delivery before it is Failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles after each further one.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claimed delivery is this worker's alone; longer than any send can take (3 attempts of the channel timeout).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries claimed per pass.</summary>
    public int BatchSize { get; set; } = 20;
}

/// <summary>Checks <see cref="AlertDeliveryOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class AlertDeliveryOptionsValidator : IValidateOptions<AlertDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add($"{AlertDeliveryOptions.SectionName}:{key} {problem}");
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromHours(1))
        {
            Fail("PollInterval", $"must be more than 0 and at most 1 hour (got {options.PollInterval})");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            Fail("MaxAttempts", $"must be from 1 to 100 (got {options.MaxAttempts})");
        }

        if (options.BackoffBase <= TimeSpan.Zero || options.BackoffBase > options.BackoffMax)
        {
            Fail("BackoffBase", $"must be more than 0 and at most BackoffMax ({options.BackoffMax}) (got {options.BackoffBase})");
        }

        if (options.BackoffMax > TimeSpan.FromDays(1))
        {
            Fail("BackoffMax", $"must be at most 1 day (got {options.BackoffMax})");
        }

        // A lease that ends while a send is still running would let another replica send the same message again.
        if (options.Lease < TimeSpan.FromMinutes(1) || options.Lease > TimeSpan.FromDays(1))
        {
            Fail("Lease", $"must be from 1 minute to 1 day (got {options.Lease})");
        }

        if (options.BatchSize is < 1 or > 500)
        {
            Fail("BatchSize", $"must be from 1 to 500 (got {options.BatchSize})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
