using System.Globalization;
using System.Net;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>
/// Text and numbers as the report prints them: every string HTML-encoded (feature names and categories come from
/// users), every number formatted with the invariant culture, NaN and infinities spelled out.
/// </summary>
internal static class HtmlText
{
    /// <summary>HTML-encodes text for element content and quoted attribute values (&lt; &gt; &amp; " ' all escaped).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A number with up to <paramref name="decimals"/> decimals (trailing zeros dropped).</summary>
    public static string Number(double value, int decimals = 3) => Finite(value) ?? Math.Round(value, decimals).ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>A statistic or p-value with three significant digits (1.23E-05 for small ones).</summary>
    public static string Significant(double value) => Finite(value) ?? value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>An optional p-value or statistic; an en dash when absent.</summary>
    public static string Significant(double? value) => value is { } v ? Significant(v) : "–";

    /// <summary>A share as a percentage with one decimal ("12.5 %").</summary>
    public static string Percent(double share) => Finite(share) ?? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A count with thousands separators ("12,345").</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>SVG coordinates: one decimal at most.</summary>
    public static string Px(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string? Finite(double value) =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞" : null;
}
