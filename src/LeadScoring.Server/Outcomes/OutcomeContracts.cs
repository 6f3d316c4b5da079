using System.Globalization;
using LeadScoring.Storage.Feedback;

namespace LeadScoring.Server.Outcomes;

/// <summary>What happened to a lead, as the CRM reports it (POST /outcomes takes one, or an array of up to LeadScoring:Outcomes:MaxBatchSize).</summary>
/// <param name="LeadId">The id the lead was scored under (1 to 200 characters).</param>
/// <param name="Converted">Whether the lead converted.</param>
/// <param name="Revenue">Revenue of a converted lead (a finite number ≥ 0), or null/absent; must be null when converted is false.</param>
/// <param name="OccurredAt">When it happened: ISO 8601 with a UTC offset (2026-03-01T09:30:00Z), not in the future beyond LeadScoring:Outcomes:ClockSkew.</param>
public sealed record OutcomeRequest(string LeadId, bool Converted, double? Revenue, DateTimeOffset OccurredAt);

/// <summary>What a POST /outcomes did. received = new + replaced + unchanged; leads = matched + unmatched.</summary>
/// <param name="Received">Outcomes in the request.</param>
/// <param name="New">Outcomes that gave a lead its first outcome.</param>
/// <param name="Replaced">Outcomes that replaced a different one (kept in the lead's history).</param>
/// <param name="Unchanged">Outcomes equal to the lead's current one: nothing written (a request sent twice changes nothing).</param>
/// <param name="Leads">Distinct leads in the request.</param>
/// <param name="Matched">Leads already scored (in the prediction log).</param>
/// <param name="Unmatched">Leads never scored yet: stored and counted, never dropped.</param>
public sealed record OutcomeBatchResponse(int Received, int New, int Replaced, int Unchanged, int Leads, long Matched, long Unmatched);

/// <summary>The outcomes known at <see cref="KnownBy"/> and how they match the prediction log.</summary>
/// <param name="KnownBy">The time the numbers are for (now, or the known_by query parameter).</param>
/// <param name="Received">Leads with an outcome.</param>
/// <param name="Matched">Leads with an outcome that were scored (by then).</param>
/// <param name="Unmatched">Leads with an outcome never scored (by then).</param>
/// <param name="Converted">Leads whose outcome is a conversion.</param>
/// <param name="ConversionRate">Converted / received; null before any outcome.</param>
/// <param name="TotalRevenue">Sum of the known revenues.</param>
/// <param name="ConversionDelay">From a matched lead's first score to its outcome's occurred_at.</param>
public sealed record OutcomeSummaryResponse(
    DateTimeOffset KnownBy,
    long Received,
    long Matched,
    long Unmatched,
    long Converted,
    double? ConversionRate,
    double TotalRevenue,
    ConversionDelayResponse ConversionDelay)
{
    internal static OutcomeSummaryResponse From(MatchSummary s) => new(
        s.KnownBy, s.Received, s.Matched, s.Unmatched, s.Converted, s.ConversionRate, s.TotalRevenue, ConversionDelayResponse.From(s.Delay));
}

/// <summary>
/// Conversion delays over matched leads, in seconds and as text ("2 d 4 h"); negative when the CRM's occurred_at
/// is before the lead's first score. Quantiles interpolate linearly between order statistics; null without matched leads.
/// </summary>
/// <param name="Leads">Matched leads the delays are over.</param>
/// <param name="MedianSeconds">The median delay in seconds.</param>
/// <param name="P90Seconds">The 90th percentile in seconds.</param>
/// <param name="Median">The median, readable ("1 d 12 h").</param>
/// <param name="P90">The 90th percentile, readable.</param>
public sealed record ConversionDelayResponse(long Leads, double? MedianSeconds, double? P90Seconds, string? Median, string? P90)
{
    internal static ConversionDelayResponse From(DelaySummary d) =>
        new(d.Count, d.Median?.TotalSeconds, d.P90?.TotalSeconds, d.Median is { } m ? Describe(m) : null, d.P90 is { } p ? Describe(p) : null);

    /// <summary>The two largest units of a duration, rounded to the second: "2 d 4 h", "7 h 12 min", "-30 min", "45 s"; under a second in ms.</summary>
    internal static string Describe(TimeSpan delay)
    {
        var sign = delay < TimeSpan.Zero ? "-" : "";
        var length = delay.Duration();
        if (length < TimeSpan.FromSeconds(1))
        {
            return sign + length.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
        }

        var seconds = (long)Math.Round(length.TotalSeconds, MidpointRounding.AwayFromZero);
        (long Amount, string Unit)[] parts = [(seconds / 86_400, "d"), (seconds / 3_600 % 24, "h"), (seconds / 60 % 60, "min"), (seconds % 60, "s")];
        var first = Array.FindIndex(parts, p => p.Amount > 0);
        var shown = parts.Skip(first).Take(2).Where(p => p.Amount > 0).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Amount} {p.Unit}"));
        return sign + string.Join(' ', shown);
    }
}
