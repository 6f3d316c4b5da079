namespace LeadScoring.Server.Alerting;

/// <summary>POST /alerts/{id}/ack: who acknowledges, and optionally why or what is being done.</summary>
public sealed record AcknowledgeAlertBody(string By, string? Note);

/// <summary>
/// POST /alerts/silences: what to silence (at least one of rule, subject and model; an absent one matches any), for
/// how long (until, an ISO 8601 time, or duration, e.g. "2h", "30m", "1d"), who and why.
/// </summary>
public sealed record CreateSilenceBody(string? Rule, string? Subject, string? Model, string? Until, string? Duration, string By, string Reason);
