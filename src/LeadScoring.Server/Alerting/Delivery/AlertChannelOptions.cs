namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// Where alerts are sent (section LeadScoring:Alerting:Channels). A channel is configured only when its required
/// settings are present: Slack:WebhookUrl; Email:Host, Email:From and at least one Email:To; PagerDuty:RoutingKey.
/// The webhook URL, the SMTP password and the routing key are secrets: give them by environment
/// (LeadScoring__Alerting__Channels__Slack__WebhookUrl, …) and never log them.
/// </summary>
public sealed class AlertChannelOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Alerting:Channels";

    /// <summary>The server's public address; messages link to <c>{LinkBaseUrl}/alerts/{id}</c>. Null: no link.</summary>
    public string? LinkBaseUrl { get; set; }

    /// <summary>How long one HTTP attempt or one SMTP conversation may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Slack incoming webhook.</summary>
    public SlackChannelOptions Slack { get; set; } = new();

    /// <summary>The SMTP server and the addresses.</summary>
    public EmailChannelOptions Email { get; set; } = new();

    /// <summary>The PagerDuty service's Events API v2 integration.</summary>
    public PagerDutyChannelOptions PagerDuty { get; set; } = new();
}

/// <summary>A Slack incoming webhook.</summary>
public sealed class SlackChannelOptions
{
    /// <summary>The webhook URL (a secret: it alone allows posting).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>True when the webhook is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(WebhookUrl);
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a relay on localhost).</summary>
    None,

    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
}

/// <summary>Email over SMTP.</summary>
public sealed class EmailChannelOptions
{
    /// <summary>The SMTP server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP server's port.</summary>
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The login; null: no authentication.</summary>
    public string? User { get; set; }

    /// <summary>The password (a secret).</summary>
    public string? Password { get; set; }

    /// <summary>The sender, e.g. "Lead scoring &lt;alerts@example.com&gt;".</summary>
    public string? From { get; set; }

    /// <summary>The recipients.</summary>
    public IList<string> To { get; } = [];

    /// <summary>True when the host, the sender and a recipient are set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From) && To.Any(t => !string.IsNullOrWhiteSpace(t));
}

/// <summary>PagerDuty's Events API v2.</summary>
public sealed class PagerDutyChannelOptions
{
    /// <summary>PagerDuty's public endpoint.</summary>
    public const string DefaultEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The service integration's routing key (a secret).</summary>
    public string? RoutingKey { get; set; }

    /// <summary>Where events are posted.</summary>
    public string EventsUrl { get; set; } = DefaultEventsUrl;

    /// <summary>The event's source (payload.source).</summary>
    public string Source { get; set; } = "lead-scoring";

    /// <summary>True when the routing key is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(RoutingKey);
}
