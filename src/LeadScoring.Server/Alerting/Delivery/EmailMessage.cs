using System.Net;
using System.Text;
using MimeKit;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>The email for a delivery: subject "[CRITICAL] rule on subject (resolved)", a plain text and an HTML part (everything HTML-encoded).</summary>
public static class EmailMessage
{
    /// <summary>Builds the message from <paramref name="options"/>' sender to its recipients, dated <paramref name="date"/>.</summary>
    public static MimeMessage Build(AlertMessage message, EmailChannelOptions options, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var mime = new MimeMessage { Subject = message.Title, Date = date };
        mime.From.Add(MailboxAddress.Parse(options.From ?? throw new ArgumentException("Email:From is required", nameof(options))));
        foreach (var to in options.To.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            mime.To.Add(MailboxAddress.Parse(to));
        }

        // Both parts make BodyBuilder write multipart/alternative: clients show the HTML, others the text.
        mime.Body = new BodyBuilder { TextBody = Text(message), HtmlBody = Html(message) }.ToMessageBody();
        return mime;
    }

    private static IEnumerable<(string Name, string Value)> Fields(AlertMessage message)
    {
        var d = message.Delivery;
        yield return ("Level", AlertMessage.LevelText(d.Level));
        yield return ("Event", message.EventText);
        yield return ("Rule", d.Rule);
        yield return ("Subject", d.Subject);
        yield return ("Model", d.Model ?? "–");
    }

    private static string Text(AlertMessage message)
    {
        var text = new StringBuilder().AppendLine(message.Title).AppendLine().AppendLine(message.Delivery.Summary).AppendLine();
        foreach (var (name, value) in Fields(message))
        {
            text.Append(name).Append(": ").AppendLine(value);
        }

        if (message.Figures.Count > 0)
        {
            text.AppendLine().AppendLine("Figures:");
            foreach (var (name, value) in message.Figures)
            {
                text.Append("  ").Append(name).Append(": ").AppendLine(value);
            }
        }

        if (message.Link is { } link)
        {
            text.AppendLine().AppendLine(link);
        }

        return text.ToString();
    }

    private static string Html(AlertMessage message)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<!DOCTYPE html><html><body>")
            .Append("<h2>").Append(E(message.Title)).Append("</h2>")
            .Append("<p>").Append(E(message.Delivery.Summary)).Append("</p><table>");
        foreach (var (name, value) in Fields(message))
        {
            html.Append("<tr><th align=\"left\">").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        html.Append("</table>");
        if (message.Figures.Count > 0)
        {
            html.Append("<h3>Figures</h3><table>");
            foreach (var (name, value) in message.Figures)
            {
                html.Append("<tr><th align=\"left\">").Append(E(name)).Append("</th><td><code>").Append(E(value)).Append("</code></td></tr>");
            }

            html.Append("</table>");
        }

        if (message.Link is { } link)
        {
            html.Append("<p><a href=\"").Append(E(link)).Append("\">Open the alert</a></p>");
        }

        return html.Append("</body></html>").ToString();
    }
}
