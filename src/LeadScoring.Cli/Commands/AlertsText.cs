using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadScoring.Application.Alerting;

namespace LeadScoring.Cli.Commands;

/// <summary>Alerts and silences as readable tables: what fired, what each channel was told, and how that went.</summary>
internal static class AlertsText
{
    public static string List(AlertPageDocument page)
    {
        if (page.Alerts.Length == 0)
        {
            return "no alerts match\n";
        }

        var text = new StringBuilder();
        var ruleWidth = Math.Max(4, page.Alerts.Max(a => a.Rule.Length));
        var subjectWidth = Math.Max(7, page.Alerts.Max(a => a.Subject.Length));
        Line(text, $"{"ID",6}  {"STATE",-8}  {"LEVEL",-8}  {"RULE".PadRight(ruleWidth)}  {"SUBJECT".PadRight(subjectWidth)}  {"UPDATED (UTC)",-16}  SUMMARY");
        foreach (var a in page.Alerts)
        {
            Line(text, $"{a.Id,6}  {a.State,-8}  {a.Level,-8}  {a.Rule.PadRight(ruleWidth)}  {a.Subject.PadRight(subjectWidth)}  {Time(a.UpdatedAt),-16}  {a.Summary}{Marks(a)}");
        }

        if (page.NextBefore is not null)
        {
            text.AppendLine("(more alerts: raise --limit or narrow the filters)");
        }

        return text.ToString();
    }

    public static string Detail(AlertDetailDocument detail)
    {
        var a = detail.Alert;
        var text = new StringBuilder();
        Line(text, $"alert {a.Id}  {a.Level}  {a.State}{Marks(a)}");
        Line(text, $"  {a.Rule} on {a.Subject}{(a.Model is { } m ? $" (model {m})" : string.Empty)}");
        Line(text, $"  {a.Summary}");
        Line(text, $"  opened {Time(a.OpenedAt)}, updated {Time(a.UpdatedAt)}{(a.ResolvedAt is { } r ? $", resolved {Time(r)}" : string.Empty)}; {a.Findings} finding{(a.Findings == 1 ? "" : "s")}; last notified {Time(a.LastNotifiedAt)} at {a.NotifiedLevel}");
        if (a.AcknowledgedAt is { } ackAt)
        {
            Line(text, $"  acknowledged by {a.AcknowledgedBy} at {Time(ackAt)}{(a.AcknowledgementNote is { } note ? $": {note}" : string.Empty)}");
        }

        Line(text, $"  dedup key {a.DedupKey}");
        Line(text, $"  figures {JsonSerializer.Serialize(a.Figures)}");
        text.AppendLine();
        if (detail.Deliveries.Length == 0)
        {
            text.AppendLine("DELIVERIES  none (info alerts, silenced alerts and updates tell nobody)");
        }
        else
        {
            Line(text, $"{"CHANNEL",-10}  {"EVENT",-11}  {"LEVEL",-8}  {"STATE",-7}  {"ATTEMPTS",8}  OUTCOME");
            foreach (var d in detail.Deliveries)
            {
                Line(text, $"{d.Channel,-10}  {d.Event,-11}  {d.Level,-8}  {d.State,-7}  {d.Attempts,8}  {Outcome(d)}");
            }
        }

        if (detail.Findings.Length > 0)
        {
            text.AppendLine();
            Line(text, $"{"FINDING AT (UTC)",-16}  {"ACTION",-8}  {"LEVEL",-8}  {"BREACHED",-8}  SUMMARY");
            foreach (var f in detail.Findings)
            {
                Line(text, $"{Time(f.At),-16}  {f.Action,-8}  {f.Level,-8}  {(f.Breached ? "yes" : "no"),-8}  {f.Summary}");
            }
        }

        return text.ToString();
    }

    public static string Silences(SilenceListDocument list)
    {
        if (list.Silences.Length == 0)
        {
            return "no silences\n";
        }

        var text = new StringBuilder();
        Line(text, $"{"ID",6}  {"ACTIVE",-6}  {"ENDS (UTC)",-16}  {"BY",-16}  MATCHES / REASON");
        foreach (var s in list.Silences)
        {
            var ends = s.ExpiredAt is { } expired && expired < s.EndsAt ? expired : s.EndsAt;
            Line(text, $"{s.Id,6}  {(s.Active ? "yes" : "no"),-6}  {Time(ends),-16}  {s.CreatedBy,-16}  {Matchers(s.Rule, s.Subject, s.Model)}: {s.Reason}");
        }

        return text.ToString();
    }

    /// <summary>"rule=feature_drift subject=lead-scoring/lead_source model=any".</summary>
    public static string Matchers(string? rule, string? subject, string? model) => $"rule={rule ?? "any"} subject={subject ?? "any"} model={model ?? "any"}";

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    private static string Outcome(AlertDeliveryDocument d) => d.State switch
    {
        "sent" => $"sent {Time(d.SentAt)}",
        "failed" => $"gave up: {d.LastError ?? "no error recorded"}",
        _ when d.LastError is { } error => $"retrying at {Time(d.NextAttemptAt)} after: {error}",
        _ => $"due {Time(d.NextAttemptAt)}",
    };

    private static string Marks(AlertDocument a) =>
        (a.AcknowledgedAt is not null ? " [acknowledged]" : string.Empty) + (a.Silenced ? " [silenced]" : string.Empty);

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
