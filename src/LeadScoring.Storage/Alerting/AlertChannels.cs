namespace LeadScoring.Storage.Alerting;

/// <summary>The channels a finding can be routed to (the names <see cref="AlertFinding.Channels"/> and deliveries use).</summary>
public static class AlertChannels
{
    /// <summary>A Slack incoming webhook.</summary>
    public const string Slack = "slack";

    /// <summary>E-mail over SMTP.</summary>
    public const string Email = "email";

    /// <summary>PagerDuty's Events API v2 (the only channel told about acknowledgements).</summary>
    public const string PagerDuty = "pagerduty";

    /// <summary>Every known channel.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Slack, Email, PagerDuty };
}
