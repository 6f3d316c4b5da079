using System.Globalization;

namespace LeadScoring.Storage.Outcomes;

/// <summary>
/// The rules for an outcome's occurred-at as clients send it, shared by POST /outcomes and the file import: an
/// ISO 8601 date and time with an explicit UTC offset (an instant without one is ambiguous, and a wrong guess
/// shifts every conversion delay), not in the future beyond a clock-skew allowance.
/// </summary>
public static class OutcomeTimes
{
    /// <summary>The default allowance for a sender's clock running ahead of the store's.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>An example of the accepted form, for messages.</summary>
    public const string Example = "2026-03-01T09:30:00Z";

    // Date, 'T' (or a space, as RFC 3339 allows), time to the minute or second with an optional fraction, and an
    // offset: Z, or ±hh:mm.
    private static readonly string[] Formats =
    [
        .. new[] { "'T'", " " }.SelectMany(separator => new[]
        {
            $"yyyy-MM-dd{separator}HH:mm:ss.FFFFFFFzzz",
            $"yyyy-MM-dd{separator}HH:mm:ss.FFFFFFF'Z'",
            $"yyyy-MM-dd{separator}HH:mm:ss.FFFFFFF'z'",
            $"yyyy-MM-dd{separator}HH:mmzzz",
            $"yyyy-MM-dd{separator}HH:mm'Z'",
            $"yyyy-MM-dd{separator}HH:mm'z'",
        }),
    ];

    /// <summary>
    /// Parses <paramref name="text"/> (surrounding spaces ignored) as an instant; on failure
    /// <paramref name="problem"/> says why, in the words a field error continues with ("must be …").
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value, out string problem)
    {
        var trimmed = text.Trim();
        if (DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            problem = "";
            return true;
        }

        var shown = trimmed.Length > 40 ? string.Concat(trimmed[..40], "…") : trimmed.ToString();
        problem = trimmed.Length == 0
            ? $"must be an ISO 8601 date and time with a UTC offset, e.g. {Example}; got an empty string"
            : DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                ? $"must have a UTC offset (Z or ±hh:mm), e.g. {Example}; got '{shown}'"
                : $"must be an ISO 8601 date and time with a UTC offset, e.g. {Example}; got '{shown}'";
        value = default;
        return false;
    }

    /// <summary>
    /// Why <paramref name="occurredAt"/> cannot be an outcome's time at <paramref name="now"/>, or null when it can:
    /// it may be at most <paramref name="clockSkew"/> ahead of now.
    /// </summary>
    public static string? Problem(DateTimeOffset occurredAt, DateTimeOffset now, TimeSpan clockSkew) =>
        occurredAt > now + clockSkew
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"must not be in the future: {occurredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is after now ({now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}) plus the allowed clock skew of {clockSkew}")
            : null;
}
