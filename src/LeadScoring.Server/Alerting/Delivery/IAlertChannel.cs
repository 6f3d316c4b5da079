using LeadScoring.Storage.Alerting;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>One way of telling people about an alert (Slack, email, PagerDuty).</summary>
public interface IAlertChannel
{
    /// <summary>The channel's name as deliveries and rules name it ("slack", "email", "pagerduty").</summary>
    string Name { get; }

    /// <summary>
    /// Sends one delivery; returns when the receiver accepted it. Throws <see cref="AlertChannelException"/> (or
    /// <see cref="OperationCanceledException"/> when cancelled) otherwise; the message never contains a secret.
    /// </summary>
    Task SendAsync(AlertDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>The names of the channels this server knows.</summary>
public static class AlertChannelNames
{
    /// <summary>A Slack incoming webhook.</summary>
    public const string Slack = "slack";

    /// <summary>Email over SMTP.</summary>
    public const string Email = "email";

    /// <summary>PagerDuty's Events API v2.</summary>
    public const string PagerDuty = "pagerduty";

    /// <summary>Every channel name.</summary>
    public static IReadOnlyList<string> All { get; } = [Slack, Email, PagerDuty];
}

/// <summary>A channel refused or could not take a delivery; the message says why and holds no secret.</summary>
public sealed class AlertChannelException(string message, Exception? innerException = null) : Exception(message, innerException);
