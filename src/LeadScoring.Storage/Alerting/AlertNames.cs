using System.Security.Cryptography;
using System.Text;
using LeadScoring.Core.Alerting;

namespace LeadScoring.Storage.Alerting;

/// <summary>The words the alert store's enums are stored as, and the dedup key of a rule on a subject.</summary>
internal static class AlertNames
{
    /// <summary>The longest dedup key (PagerDuty's limit).</summary>
    public const int MaxDedupKeyLength = 255;

    private const string DedupPrefix = "lead-scoring/";

    /// <summary>
    /// "lead-scoring/{rule}/{subject}": stable per rule and subject, so a trigger and its resolve share it. A longer
    /// one keeps its start and ends in a hash of the whole, so two long keys differing only at the end stay apart.
    /// </summary>
    public static string DedupKey(string rule, string subject)
    {
        var key = DedupPrefix + rule + "/" + subject;
        if (key.Length <= MaxDedupKeyLength)
        {
            return key;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return key[..(MaxDedupKeyLength - hash.Length - 1)] + "#" + hash;
    }

    public static string Of(AlertLevel level) => level switch
    {
        AlertLevel.Info => "info",
        AlertLevel.Warning => "warning",
        AlertLevel.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static AlertLevel ParseLevel(string text) => text switch
    {
        "info" => AlertLevel.Info,
        "warning" => AlertLevel.Warning,
        "critical" => AlertLevel.Critical,
        _ => throw new InvalidOperationException($"unknown alert level '{text}' in the database"),
    };

    public static string Of(AlertState state) => state switch
    {
        AlertState.Firing => "firing",
        AlertState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static AlertState ParseState(string text) => text switch
    {
        "firing" => AlertState.Firing,
        "resolved" => AlertState.Resolved,
        _ => throw new InvalidOperationException($"unknown alert state '{text}' in the database"),
    };

    public static string Of(AlertEvent alertEvent) => alertEvent switch
    {
        AlertEvent.Trigger => "trigger",
        AlertEvent.Reminder => "reminder",
        AlertEvent.Escalation => "escalation",
        AlertEvent.Acknowledge => "acknowledge",
        AlertEvent.Resolve => "resolve",
        _ => throw new ArgumentOutOfRangeException(nameof(alertEvent), alertEvent, null),
    };

    public static AlertEvent ParseEvent(string text) => text switch
    {
        "trigger" => AlertEvent.Trigger,
        "reminder" => AlertEvent.Reminder,
        "escalation" => AlertEvent.Escalation,
        "acknowledge" => AlertEvent.Acknowledge,
        "resolve" => AlertEvent.Resolve,
        _ => throw new InvalidOperationException($"unknown alert event '{text}' in the database"),
    };

    public static string Of(DeliveryState state) => state switch
    {
        DeliveryState.Pending => "pending",
        DeliveryState.Sent => "sent",
        DeliveryState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static DeliveryState ParseDeliveryState(string text) => text switch
    {
        "pending" => DeliveryState.Pending,
        "sent" => DeliveryState.Sent,
        "failed" => DeliveryState.Failed,
        _ => throw new InvalidOperationException($"unknown delivery state '{text}' in the database"),
    };

    public static string Of(AlertAction action) => action switch
    {
        AlertAction.Open => "open",
        AlertAction.Update => "update",
        AlertAction.Notify => "notify",
        AlertAction.Resolve => "resolve",
        AlertAction.Suppress => "suppress",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "only stored actions have a name"),
    };

    public static AlertAction ParseAction(string text) => text switch
    {
        "open" => AlertAction.Open,
        "update" => AlertAction.Update,
        "notify" => AlertAction.Notify,
        "resolve" => AlertAction.Resolve,
        "suppress" => AlertAction.Suppress,
        _ => throw new InvalidOperationException($"unknown alert action '{text}' in the database"),
    };

    /// <summary>A caller's instant as stored: UTC, to the microsecond (what PostgreSQL keeps), so both databases hand back the same value.</summary>
    public static DateTimeOffset Micro(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
