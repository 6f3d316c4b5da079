using System.Globalization;

namespace LeadScoring.Core.Data;

/// <summary>Parses single raw field values the same way for files and for scoring requests.</summary>
public static class FieldParser
{
    /// <summary>Parses an invariant-culture number; false for text that is not one or is not finite.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> raw, out double value)
    {
        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <summary>Parses yes/no, true/false, 1/0, y/n, t/f (case-insensitive).</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> raw, out bool value)
    {
        var text = raw.Trim();
        if (Is(text, "yes") || Is(text, "true") || Is(text, "1") || Is(text, "y") || Is(text, "t"))
        {
            value = true;
            return true;
        }

        if (Is(text, "no") || Is(text, "false") || Is(text, "0") || Is(text, "n") || Is(text, "f"))
        {
            value = false;
            return true;
        }

        value = false;
        return false;
    }

    /// <summary>Parses an ISO-8601-like date/time; values without an offset are taken as UTC.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> raw, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private static bool Is(ReadOnlySpan<char> text, string word) => text.Equals(word, StringComparison.OrdinalIgnoreCase);
}
