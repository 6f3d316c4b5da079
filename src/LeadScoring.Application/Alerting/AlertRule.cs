using LeadScoring.Core.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>The kinds of rule the platform evaluates; a configured rule names one as its type.</summary>
public static class AlertRuleTypes
{
    /// <summary>A feature's PSI against the reference (and its drift test says drifted), per feature.</summary>
    public const string FeaturePsi = "feature_psi";

    /// <summary>The score distribution's PSI against the reference: prediction drift.</summary>
    public const string ScorePsi = "score_psi";

    /// <summary>The 95th percentile of scoring latency over the last minutes, in milliseconds (live figures).</summary>
    public const string LatencyP95 = "latency_p95";

    /// <summary>The share of scoring requests answered with a server error over the last minutes (live figures).</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>The realised conversion rate's relative drop below the training rate, once labels matured, when significant.</summary>
    public const string ConversionDrop = "conversion_drop";

    /// <summary>A guardrail rolled a deployment back.</summary>
    public const string GuardrailRollback = "guardrail_rollback";

    /// <summary>The window's data-quality check failed (missing values, out-of-range values, unseen categories).</summary>
    public const string DataQuality = "data_quality";

    /// <summary>The realised ROC AUC fell below the version's held-out AUC by more than the threshold, once labels matured.</summary>
    public const string PerformanceDrop = "performance_drop";

    /// <summary>Monitoring recommends retraining (dataset drift, or a performance drop).</summary>
    public const string RetrainingRequest = "retraining_request";

    /// <summary>Every type.</summary>
    public static IReadOnlyList<string> All { get; } =
        [FeaturePsi, ScorePsi, LatencyP95, ErrorRate, ConversionDrop, GuardrailRollback, DataQuality, PerformanceDrop, RetrainingRequest];

    /// <summary>Types judged on live figures every evaluation interval rather than after a monitoring run.</summary>
    public static bool IsOperations(string type) => type is LatencyP95 or ErrorRate;

    /// <summary>Types raised by an event (nothing "clears" them: they resolve after a while, or when acknowledged and resolved by hand).</summary>
    public static bool IsEvent(string type) => type is GuardrailRollback;
}

/// <summary>Where a rule reads its figures: the live minute figures, or one kind of scheduled monitoring run.</summary>
public static class AlertWindows
{
    /// <summary>Live figures, every evaluation interval.</summary>
    public const string Live = "live";

    /// <summary>Hourly monitoring runs.</summary>
    public const string Hourly = "hourly";

    /// <summary>Daily monitoring runs (including the re-evaluation of windows whose labels matured).</summary>
    public const string Daily = "daily";

    /// <summary>Weekly monitoring runs.</summary>
    public const string Weekly = "weekly";

    /// <summary>Events, as they happen.</summary>
    public const string Event = "event";
}

/// <summary>
/// One rule, as configured (defaults merged): what it watches (<paramref name="Type"/>), when it breaches and at which
/// level, which model it is limited to (null: every model), which figures it reads, and how often it reminds.
/// A threshold rule breaches at Critical above <paramref name="Critical"/>, else at Warning above
/// <paramref name="Warning"/>; a rule without thresholds (an event, a failed check) breaches at <paramref name="Level"/>.
/// </summary>
/// <param name="Id">The rule's name (its configuration key); alerts carry it.</param>
/// <param name="Type">One of <see cref="AlertRuleTypes"/>.</param>
/// <param name="Enabled">False: never evaluated.</param>
/// <param name="Warning">Warning threshold, when the rule has one.</param>
/// <param name="Critical">Critical threshold, when the rule has one.</param>
/// <param name="Level">The level of a rule without thresholds.</param>
/// <param name="Model">The only model the rule applies to; null for every model.</param>
/// <param name="Window">One of <see cref="AlertWindows"/>.</param>
/// <param name="Cooldown">How long an unacknowledged open alert waits before reminding.</param>
/// <param name="MinimumCount">Fewest requests (operations) or labelled leads (performance, conversion) for a judgement.</param>
/// <param name="MaxPValue">A conversion drop must also be this significant (one-sided binomial test).</param>
public sealed record AlertRule(
    string Id,
    string Type,
    bool Enabled,
    double? Warning,
    double? Critical,
    AlertLevel Level,
    string? Model,
    string Window,
    TimeSpan Cooldown,
    long MinimumCount,
    double MaxPValue)
{
    /// <summary>The level <paramref name="value"/> breaches at (Critical above Critical, Warning above Warning), or null.</summary>
    public AlertLevel? LevelOf(double value) =>
        Critical is { } critical && value > critical ? AlertLevel.Critical
        : Warning is { } warning && value > warning ? AlertLevel.Warning
        : null;

    /// <summary>True when the rule applies to <paramref name="model"/>.</summary>
    public bool AppliesTo(string model) => Enabled && (Model is null || string.Equals(Model, model, StringComparison.Ordinal));

    /// <summary>The threshold a breach at <paramref name="level"/> crossed, for the message.</summary>
    public double? ThresholdOf(AlertLevel level) => level == AlertLevel.Critical ? Critical : Warning;
}
