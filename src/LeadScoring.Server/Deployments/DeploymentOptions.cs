using System.Globalization;
using LeadScoring.Core.Deployments;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Deployments;

/// <summary>How deployments are followed, measured and supervised (section LeadScoring:Deployments).</summary>
public sealed class DeploymentOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Deployments";

    /// <summary>How often a replica checks the deployments for a change; null: LeadScoring:Serving:RegistryPollInterval (the two are followed by one loop).</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>How often every replica writes its arm counters and the lease holder judges the guardrails and the canary steps.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The sliding window the guardrails judge (arm counters and labelled leads scored in it).</summary>
    public TimeSpan GuardrailWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the supervisor's lease lasts without renewal; null: 3 × <see cref="EvaluationInterval"/>.</summary>
    public TimeSpan? LeaseTtl { get; set; }

    /// <summary>The challenger breaches above this error rate.</summary>
    public double MaxErrorRate { get; set; } = GuardrailOptions.Default.MaxErrorRate;

    /// <summary>Requests an arm needs in the window before its error rate or P95 is judged.</summary>
    public long MinRequests { get; set; } = GuardrailOptions.Default.MinRequests;

    /// <summary>The challenger breaches when its P95 is above this multiple of the champion's.</summary>
    public double MaxLatencyRatio { get; set; } = GuardrailOptions.Default.MaxLatencyRatio;

    /// <summary>The challenger breaches when it converts worse by more than this relative share, significantly.</summary>
    public double MaxConversionDrop { get; set; } = GuardrailOptions.Default.MaxConversionDrop;

    /// <summary>The one-sided significance level of the conversion rule.</summary>
    public double Alpha { get; set; } = GuardrailOptions.Default.Alpha;

    /// <summary>Labelled leads each arm needs before the conversion rule is judged.</summary>
    public long MinLabelledLeads { get; set; } = GuardrailOptions.Default.MinLabelledLeads;

    /// <summary>The lease's time to live as configured or defaulted.</summary>
    public TimeSpan EffectiveLeaseTtl => LeaseTtl ?? EvaluationInterval * 3;

    /// <summary>The thresholds as Core's guardrail policy takes them.</summary>
    public GuardrailOptions ToGuardrails() => new(MaxErrorRate, MinRequests, MaxLatencyRatio, MaxConversionDrop, Alpha, MinLabelledLeads);
}

/// <summary>Checks <see cref="DeploymentOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PollInterval is { } poll && (poll <= TimeSpan.Zero || poll > Longest))
        {
            failures.Add(Message($"PollInterval must be more than 0 and at most 1 day (got {poll})"));
        }

        if (options.EvaluationInterval <= TimeSpan.Zero || options.EvaluationInterval > Longest)
        {
            failures.Add(Message($"EvaluationInterval must be more than 0 and at most 1 day (got {options.EvaluationInterval})"));
        }

        if (options.GuardrailWindow < options.EvaluationInterval || options.GuardrailWindow > TimeSpan.FromDays(7))
        {
            failures.Add(Message($"GuardrailWindow must be at least EvaluationInterval ({options.EvaluationInterval}) and at most 7 days (got {options.GuardrailWindow})"));
        }

        // A lease shorter than an interval would lapse between two evaluations and let another replica in.
        if (options.LeaseTtl is { } ttl && (ttl <= options.EvaluationInterval || ttl > TimeSpan.FromDays(7)))
        {
            failures.Add(Message($"LeaseTtl must be more than EvaluationInterval ({options.EvaluationInterval}) and at most 7 days (got {ttl})"));
        }

        try
        {
            options.ToGuardrails().Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            failures.Add(Message($"{e.Message.Split(" (Parameter", 2)[0]} (got {e.ActualValue})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(FormattableString problem) => DeploymentOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
