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

/// <summary>A channel refused or could not take a delivery; the message says why and holds no secret.</summary>
public sealed class AlertChannelException(string message, Exception? innerException = null) : Exception(message, innerException);
