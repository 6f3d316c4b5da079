namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// The configured secrets (webhook URL and its path, SMTP password, routing key), to blank out of any error text
/// before it is thrown, logged or stored: a receiver or a library may echo what it was sent.
/// </summary>
internal sealed class ChannelSecrets
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    public ChannelSecrets(AlertChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secrets = new List<string?> { options.Slack.WebhookUrl, options.Email.Password, options.PagerDuty.RoutingKey };
        // The webhook's path is the secret part; an error may quote it without the host.
        if (Uri.TryCreate(options.Slack.WebhookUrl, UriKind.Absolute, out var webhook) && webhook.AbsolutePath.Length > 1)
        {
            secrets.Add(webhook.PathAndQuery);
        }

        _secrets = secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Select(s => s!).OrderByDescending(s => s.Length).ToArray();
    }

    /// <summary>The text with every secret replaced by "***".</summary>
    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
