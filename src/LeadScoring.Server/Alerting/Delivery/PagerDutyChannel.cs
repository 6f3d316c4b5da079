using System.Globalization;
using System.Text.Json.Nodes;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// Sends a delivery to PagerDuty's Events API v2: Trigger, Reminder and Escalation are "trigger" events, Acknowledge
/// "acknowledge", Resolve "resolve", all with the alert's dedup key, so PagerDuty keeps one incident per rule and
/// subject. 202 is success.
/// </summary>
public sealed class PagerDutyChannel : IAlertChannel
{
    /// <summary>The named HttpClient (no request logging: the body holds the routing key).</summary>
    public const string HttpClientName = "alerting-pagerduty";

    private readonly IHttpClientFactory _clients;
    private readonly AlertChannelOptions _options;
    private readonly ChannelSecrets _secrets;

    /// <summary>Creates the channel over the factory's named client.</summary>
    public PagerDutyChannel(IHttpClientFactory clients, IOptions<AlertChannelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _secrets = new ChannelSecrets(_options);
    }

    /// <inheritdoc />
    public string Name => AlertChannels.PagerDuty;

    /// <inheritdoc />
    public async Task SendAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var pagerDuty = _options.PagerDuty;
        var routingKey = pagerDuty.RoutingKey ?? throw new AlertChannelException("pagerduty is not configured (LeadScoring:Alerting:Channels:PagerDuty:RoutingKey)");
        var body = PagerDutyPayload.Build(AlertMessage.For(delivery, _options.LinkBaseUrl), routingKey, pagerDuty.Source);
        var client = _clients.CreateClient(HttpClientName);
        await HttpChannelErrors.PostAsync(client, Name, new Uri(pagerDuty.EventsUrl), body, only202: true, _secrets, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The Events API v2 body.</summary>
public static class PagerDutyPayload
{
    // PagerDuty cuts a summary at 1024 characters; cutting it here keeps the end of the title readable.
    private const int SummaryLimit = 1024;

    /// <summary>The event action a delivery's event maps to.</summary>
    public static string EventAction(AlertEvent e) => e switch
    {
        AlertEvent.Acknowledge => "acknowledge",
        AlertEvent.Resolve => "resolve",
        _ => "trigger",
    };

    /// <summary>PagerDuty's severity for a level.</summary>
    public static string Severity(AlertLevel level) => level switch
    {
        AlertLevel.Critical => "critical",
        AlertLevel.Warning => "warning",
        _ => "info",
    };

    /// <summary>The JSON body; the payload (required for triggers only) is sent with triggers.</summary>
    public static JsonObject Build(AlertMessage message, string routingKey, string source)
    {
        ArgumentNullException.ThrowIfNull(message);
        var d = message.Delivery;
        var action = EventAction(d.Event);
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = action,
            ["dedup_key"] = d.DedupKey,
        };
        if (action == "trigger")
        {
            var details = new JsonObject();
            foreach (var (name, value) in message.Figures)
            {
                details[name] = value;
            }

            var summary = $"{message.Title}: {d.Summary}";
            body["payload"] = new JsonObject
            {
                ["summary"] = summary.Length <= SummaryLimit ? summary : summary[..(SummaryLimit - 1)] + "…",
                ["source"] = source,
                ["severity"] = Severity(d.Level),
                ["component"] = d.Model ?? d.Subject,
                ["group"] = d.Subject,
                ["class"] = d.Rule,
                ["timestamp"] = d.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["custom_details"] = details,
            };
        }

        if (message.Link is { } link)
        {
            body["links"] = new JsonArray(new JsonObject { ["href"] = link, ["text"] = string.Create(CultureInfo.InvariantCulture, $"Alert {d.AlertId} in lead scoring") });
        }

        return body;
    }
}
