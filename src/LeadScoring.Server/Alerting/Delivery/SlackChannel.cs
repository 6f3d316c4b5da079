using LeadScoring.Storage.Alerting;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>Posts a delivery to a Slack incoming webhook as a message with blocks; any 2xx is success.</summary>
public sealed class SlackChannel : IAlertChannel
{
    /// <summary>The named HttpClient (no request logging: the URL is the secret).</summary>
    public const string HttpClientName = "alerting-slack";

    private readonly IHttpClientFactory _clients;
    private readonly AlertChannelOptions _options;
    private readonly ChannelSecrets _secrets;

    /// <summary>Creates the channel over the factory's named client.</summary>
    public SlackChannel(IHttpClientFactory clients, IOptions<AlertChannelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _secrets = new ChannelSecrets(_options);
    }

    /// <inheritdoc />
    public string Name => AlertChannels.Slack;

    /// <inheritdoc />
    public async Task SendAsync(Storage.Alerting.AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var webhook = _options.Slack.WebhookUrl ?? throw new AlertChannelException("slack is not configured (LeadScoring:Alerting:Channels:Slack:WebhookUrl)");
        var body = SlackPayload.Build(AlertMessage.For(delivery, _options.LinkBaseUrl));
        var client = _clients.CreateClient(HttpClientName);
        await HttpChannelErrors.PostAsync(client, Name, new Uri(webhook), body, only202: false, _secrets, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The Slack message: a plain-text fallback and blocks (title, summary, fields, figures, link).</summary>
public static class SlackPayload
{
    // Slack's limits: a header's text 150 characters, a section's 3000, a field's 2000.
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;
    private const int FieldLimit = 2000;

    /// <summary>The JSON body for the webhook.</summary>
    public static JsonObject Build(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var d = message.Delivery;
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Cut(message.Title, HeaderLimit)) },
            Section(Escape(d.Summary)),
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    Field("Level", AlertMessage.LevelText(d.Level)),
                    Field("Event", message.EventText),
                    Field("Rule", d.Rule),
                    Field("Subject", d.Subject),
                    Field("Model", d.Model ?? "–")),
            },
        };
        if (message.Figures.Count > 0)
        {
            blocks.Add(Section("*Figures*\n" + string.Join('\n', message.Figures.Select(f => $"• {Escape(f.Key)}: `{Escape(f.Value)}`"))));
        }

        if (message.Link is { } link)
        {
            blocks.Add(Section($"<{link}|Open the alert>"));
        }

        var text = $"{message.Title}: {d.Summary}{(message.Link is { } l ? " " + l : "")}";
        return new JsonObject { ["text"] = Cut(text, SectionLimit), ["blocks"] = blocks };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Section(string markdown) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(markdown, SectionLimit) } };

    private static JsonObject Field(string name, string value) =>
        new() { ["type"] = "mrkdwn", ["text"] = Cut($"*{name}*\n{Escape(value)}", FieldLimit) };

    // Slack's mrkdwn reads &, < and > as markup; its documented escapes keep a subject or figure literal.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
