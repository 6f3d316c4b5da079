using System.Globalization;
using System.Text;
using LeadScoring.Core.Statistics;
using static LeadScoring.Application.Monitoring.Reports.HtmlText;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>
/// The reference and current distributions of one feature (or of the scores) over the drift bins, drawn side by
/// side as an inline SVG bar chart: server-side, no script, no fonts or images to fetch. Each bar carries a
/// &lt;title&gt; with the bin and both shares, so hovering shows the numbers.
/// </summary>
internal static class DistributionChart
{
    /// <summary>The colour of the reference bars.</summary>
    public const string ReferenceColour = "#8da0cb";

    /// <summary>The colour of the current bars.</summary>
    public const string CurrentColour = "#e4572e";

    private const double Left = 52, Right = 16, Top = 30, PlotHeight = 170, LabelArea = 96, MinWidth = 420;
    private const int MaxAxisLabel = 18;

    /// <summary>Each bin's share of its sample (0 for every bin of an empty sample).</summary>
    public static double[] Shares(long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Sum();
        return counts.Select(c => total == 0 ? 0 : (double)c / total).ToArray();
    }

    /// <summary>The chart as an &lt;svg&gt; element; <paramref name="caption"/> names it for screen readers and tests.</summary>
    public static string Render(string caption, DriftBins bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var reference = Shares(bins.ReferenceCounts);
        var current = Shares(bins.CurrentCounts);
        var n = bins.Labels.Count;
        var group = n <= 12 ? 44.0 : 30.0;
        var width = Math.Max(MinWidth, Left + Right + (n * group));
        var height = Top + PlotHeight + LabelArea;
        var top = NiceMaximum(Math.Max(reference.DefaultIfEmpty(0).Max(), current.DefaultIfEmpty(0).Max()));
        double Y(double share) => Top + PlotHeight - (share / top * PlotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{Encode(caption)}\" width=\"{Px(width)}\" height=\"{Px(height)}\" viewBox=\"0 0 {Px(width)} {Px(height)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(caption)}</title>");

        // Legend, then horizontal grid lines at 0, ½ and the top with their shares.
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Px(Left)}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{ReferenceColour}\"/><text x=\"{Px(Left + 16)}\" y=\"18\">reference</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Px(Left + 96)}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{CurrentColour}\"/><text x=\"{Px(Left + 112)}\" y=\"18\">current</text>");
        foreach (var fraction in new[] { 0, 0.5, 1 })
        {
            var y = Y(top * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Px(Left)}\" y1=\"{Px(y)}\" x2=\"{Px(width - Right)}\" y2=\"{Px(y)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Px(Left - 6)}\" y=\"{Px(y + 4)}\" text-anchor=\"end\">{Encode(Percent(top * fraction))}</text>");
        }

        var bar = (group - 8) / 2;
        for (var i = 0; i < n; i++)
        {
            var x = Left + (i * group) + 4;
            var label = bins.Labels[i];
            var tip = Encode($"{label}: reference {Percent(reference[i])} ({Count(bins.ReferenceCounts[i])}), current {Percent(current[i])} ({Count(bins.CurrentCounts[i])})");
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"bin\"><title>{tip}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"reference\" x=\"{Px(x)}\" y=\"{Px(Y(reference[i]))}\" width=\"{Px(bar)}\" height=\"{Px(Top + PlotHeight - Y(reference[i]))}\" fill=\"{ReferenceColour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"current\" x=\"{Px(x + bar)}\" y=\"{Px(Y(current[i]))}\" width=\"{Px(bar)}\" height=\"{Px(Top + PlotHeight - Y(current[i]))}\" fill=\"{CurrentColour}\"/>");
            var lx = x + bar;
            var ly = Top + PlotHeight + 12;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Px(lx)}\" y=\"{Px(ly)}\" text-anchor=\"end\" transform=\"rotate(-40 {Px(lx)} {Px(ly)})\">{Encode(Shorten(label))}</text></g>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"baseline\" x1=\"{Px(Left)}\" y1=\"{Px(Top + PlotHeight)}\" x2=\"{Px(width - Right)}\" y2=\"{Px(Top + PlotHeight)}\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The axis top: the largest share rounded up to the next 5 % (10 % above a half), never 0.</summary>
    private static double NiceMaximum(double largest)
    {
        var step = largest > 0.5 ? 0.1 : 0.05;
        return Math.Min(1, Math.Max(step, Math.Ceiling((largest - 1e-12) / step) * step));
    }

    private static string Shorten(string label) => label.Length <= MaxAxisLabel ? label : string.Concat(label.AsSpan(0, MaxAxisLabel - 1), "…");
}
