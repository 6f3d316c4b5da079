using System.Globalization;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// How long a silence lasts, as people type it: a whole number and a unit, "30m", "2h", "1d" (also "45s"), up to
/// <see cref="Max"/>. The API's "duration" and the CLI's --for take the same text.
/// </summary>
public static class SilenceDurations
{
    /// <summary>The longest silence: a quarter; anything longer should be a rule change, not a silence.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(90);

    /// <summary>What a duration looks like, for messages.</summary>
    public const string Expected = "a whole number and a unit (s, m, h or d), e.g. 30m, 2h or 1d, up to 90d";

    /// <summary>The duration <paramref name="text"/> names, or null when it is not one (see <see cref="Expected"/>).</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (text is null || text.Length < 2 || text.Length > 12
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount < 1)
        {
            return null;
        }

        TimeSpan? duration = text[^1] switch
        {
            's' when amount <= Max.TotalSeconds => TimeSpan.FromSeconds(amount),
            'm' when amount <= Max.TotalMinutes => TimeSpan.FromMinutes(amount),
            'h' when amount <= Max.TotalHours => TimeSpan.FromHours(amount),
            'd' when amount <= Max.TotalDays => TimeSpan.FromDays(amount),
            _ => null,
        };
        return duration;
    }
}
