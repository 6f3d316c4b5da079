using System.Text.Json;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// An alert as <c>GET /alerts</c> lists it and <c>leadscore alerts list --json</c> prints it (snake_case names,
/// enumerations by their <see cref="AlertNames"/>); <see cref="Figures"/> is the JSON object of the figures, not a string.
/// </summary>
public sealed record AlertDocument(
    long Id,
    string Rule,
    string Subject,
    string? Model,
    string State,
    string Level,
    string Summary,
    JsonElement Figures,
    string DedupKey,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset LastNotifiedAt,
    string NotifiedLevel,
    long Findings,
    bool Silenced,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? AcknowledgementNote)
{
    /// <summary>Maps a stored alert to its wire form.</summary>
    public static AlertDocument Of(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(
            alert.Id,
            alert.Rule,
            alert.Subject,
            alert.Model,
            AlertNames.Of(alert.State),
            AlertNames.Of(alert.Level),
            alert.Summary,
            AlertJson.Figures(alert.FiguresJson),
            alert.DedupKey,
            alert.OpenedAt,
            alert.UpdatedAt,
            alert.ResolvedAt,
            alert.LastNotifiedAt,
            AlertNames.Of(alert.NotifiedLevel),
            alert.Findings,
            alert.Silenced,
            alert.AcknowledgedAt,
            alert.AcknowledgedBy,
            alert.AcknowledgementNote);
    }
}

/// <summary>One page of alerts, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next (null: the last page).</summary>
public sealed record AlertPageDocument(AlertDocument[] Alerts, long? NextBefore)
{
    /// <summary>Maps a page to its wire form.</summary>
    public static AlertPageDocument Of(AlertPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new([.. page.Alerts.Select(AlertDocument.Of)], page.NextBefore);
    }
}

/// <summary>What one evaluation said about the alert, and what it did (open, update, notify, resolve, suppress).</summary>
public sealed record AlertFindingDocument(long Id, string Source, string Action, bool Breached, string Level, DateTimeOffset At, string Summary, JsonElement Figures)
{
    /// <summary>Maps a stored finding to its wire form.</summary>
    public static AlertFindingDocument Of(StoredFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.Id, finding.Source, AlertNames.Of(finding.Action), finding.Breached, AlertNames.Of(finding.Level), finding.At, finding.Summary, AlertJson.Figures(finding.FiguresJson));
    }
}

/// <summary>
/// One message to one channel: what it tells (trigger, reminder, escalation, acknowledge, resolve), where it is
/// (pending, sent, failed), how many attempts it took, when it was sent, and the last error (never a secret).
/// </summary>
public sealed record AlertDeliveryDocument(
    long Id,
    string Channel,
    string Event,
    string Level,
    string State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError)
{
    /// <summary>Maps a delivery to its wire form.</summary>
    public static AlertDeliveryDocument Of(AlertDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(
            delivery.Id, delivery.Channel, AlertNames.Of(delivery.Event), AlertNames.Of(delivery.Level), AlertNames.Of(delivery.State),
            delivery.Attempts, delivery.CreatedAt, delivery.NextAttemptAt, delivery.SentAt, delivery.LastError);
    }
}

/// <summary>One attempt of a delivery: when, to which channel, how it went and how long it took.</summary>
public sealed record DeliveryAttemptDocument(long DeliveryId, string Channel, int Attempt, DateTimeOffset At, bool Succeeded, double DurationMs, string? Error);

/// <summary>
/// An alert with its latest findings, its deliveries (ordered by channel, then oldest first) and every attempt: what
/// <c>GET /alerts/{id}</c> returns and <c>leadscore alerts show --json</c> prints.
/// </summary>
public sealed record AlertDetailDocument(AlertDocument Alert, AlertFindingDocument[] Findings, AlertDeliveryDocument[] Deliveries, DeliveryAttemptDocument[] Attempts)
{
    /// <summary>Maps a stored alert's detail to its wire form.</summary>
    public static AlertDetailDocument Of(AlertDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var channels = detail.Deliveries.ToDictionary(d => d.Id, d => d.Channel);
        return new(
            AlertDocument.Of(detail.Alert),
            [.. detail.Findings.Select(AlertFindingDocument.Of)],
            [.. detail.Deliveries.OrderBy(d => d.Channel, StringComparer.Ordinal).ThenBy(d => d.Id).Select(AlertDeliveryDocument.Of)],
            [.. detail.Attempts.OrderBy(a => a.DeliveryId).ThenBy(a => a.Attempt).Select(a =>
                new DeliveryAttemptDocument(a.DeliveryId, channels.GetValueOrDefault(a.DeliveryId, ""), a.Attempt, a.At, a.Succeeded, a.DurationMilliseconds, a.Error))]);
    }
}

/// <summary>A silence; <see cref="Active"/> when it is in force now (started, not ended, not expired early).</summary>
public sealed record SilenceDocument(
    long Id,
    string? Rule,
    string? Subject,
    string? Model,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiredAt,
    bool Active)
{
    /// <summary>Maps a stored silence to its wire form, judged at <paramref name="now"/>.</summary>
    public static SilenceDocument Of(Silence silence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silence);
        var active = silence.StartsAt <= now && now < silence.EndsAt && (silence.ExpiredAt is null || now < silence.ExpiredAt);
        return new(silence.Id, silence.Rule, silence.Subject, silence.Model, silence.StartsAt, silence.EndsAt, silence.CreatedBy, silence.Reason, silence.CreatedAt, silence.ExpiredAt, active);
    }
}

/// <summary>The silences <c>GET /alerts/silences</c> lists.</summary>
public sealed record SilenceListDocument(SilenceDocument[] Silences);

/// <summary>How alert documents are written: snake_case names, like every other JSON the platform answers.</summary>
public static class AlertJson
{
    /// <summary>The serializer options of the alert documents (the CLI's --json; the server's are the same by configuration).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    /// <summary>
    /// The stored figures as a JSON value; text that is not JSON (never written by the store, but a document must not
    /// fail on it) is kept as a string.
    /// </summary>
    public static JsonElement Figures(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return EmptyObject;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
