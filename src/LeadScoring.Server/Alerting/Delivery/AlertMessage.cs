using System.Globalization;
using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// What every channel says about a delivery, worded once: the title ("[CRITICAL] rule on subject (resolved)"), the
/// event in words, the figures as name/value pairs and the link back to the alert.
/// </summary>
public sealed record AlertMessage(AlertDelivery Delivery, string Title, string EventText, IReadOnlyList<KeyValuePair<string, string>> Figures, string? Link)
{
    /// <summary>Words a delivery; <paramref name="linkBaseUrl"/> null: no link.</summary>
    public static AlertMessage For(AlertDelivery delivery, string? linkBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var title = $"[{LevelText(delivery.Level)}] {delivery.Rule} on {delivery.Subject}{Suffix(delivery.Event)}";
        var link = string.IsNullOrWhiteSpace(linkBaseUrl)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{linkBaseUrl.TrimEnd('/')}/alerts/{delivery.AlertId}");
        return new AlertMessage(delivery, title, EventWords(delivery.Event), ReadFigures(delivery.FiguresJson), link);
    }

    /// <summary>The level in capitals, as titles show it.</summary>
    public static string LevelText(AlertLevel level) => level switch
    {
        AlertLevel.Critical => "CRITICAL",
        AlertLevel.Warning => "WARNING",
        _ => "INFO",
    };

    private static string Suffix(AlertEvent e) => e switch
    {
        AlertEvent.Reminder => " (reminder)",
        AlertEvent.Escalation => " (escalated)",
        AlertEvent.Acknowledge => " (acknowledged)",
        AlertEvent.Resolve => " (resolved)",
        _ => "",
    };

    private static string EventWords(AlertEvent e) => e switch
    {
        AlertEvent.Trigger => "firing",
        AlertEvent.Reminder => "still firing, unacknowledged",
        AlertEvent.Escalation => "escalated",
        AlertEvent.Acknowledge => "acknowledged",
        AlertEvent.Resolve => "resolved",
        _ => e.ToString(),
    };

    // The figures are a JSON object by the store's contract; anything else is shown as it is rather than lost.
    private static List<KeyValuePair<string, string>> ReadFigures(string json)
    {
        var figures = new List<KeyValuePair<string, string>>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                figures.Add(new("figures", json));
                return figures;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
                figures.Add(new(property.Name, value));
            }
        }
        catch (JsonException)
        {
            figures.Add(new("figures", json));
        }

        return figures;
    }
}
