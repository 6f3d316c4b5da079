using System.Globalization;
using System.Text;
using LeadScoring.Core.Monitoring;
using static LeadScoring.Application.Monitoring.Reports.HtmlText;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>The report's sections on the scores, performance and business figures.</summary>
internal static class PerformanceSections
{
    /// <summary>Prediction drift: the score distribution against the reference's, the mean score, the band shares.</summary>
    public static void Prediction(StringBuilder html, PredictionDriftReport prediction)
    {
        html.Append("<h2 id=\"prediction\">Scores (prediction drift)</h2>\n<section class=\"feature\" id=\"scores\">\n");
        var reference = prediction.ReferenceMeanScore is { } m ? Number(m, 4) : "n/a";
        html.Append(CultureInfo.InvariantCulture, $"<p>Mean score {Number(prediction.MeanScore, 4)} (reference {reference}) over {Count(prediction.Count)} leads.");
        if (prediction.ScoreDrift is { } drift)
        {
            html.Append(CultureInfo.InvariantCulture, $" Score PSI <span class=\"{DriftReportHtml.BandClass(drift.Severity)}\">{Number(drift.Psi.Statistic)} ({DriftReportHtml.Band(drift.Severity)})</span>, KS D {Significant(drift.Get(Core.Statistics.DriftMethod.KolmogorovSmirnov).Statistic)}.</p>\n");
            html.Append(DistributionChart.Render("scores: reference and current distributions", drift.Bins)).Append('\n');
        }
        else
        {
            html.Append("</p>\n<p class=\"insufficient\">No chart: insufficient data (the reference profile has no scores, or fewer scores than the minimum sample size on either side).</p>\n");
        }

        html.Append("<h3>Share of leads per band</h3>\n<table class=\"bands\"><thead><tr><th>band</th><th>leads</th><th>share</th><th></th></tr></thead><tbody>\n");
        foreach (var band in prediction.Bands)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(band.Band)}</td><td class=\"num\">{Count(band.Count)}</td><td class=\"num\">{Percent(band.Share)}</td><td>{Bar(band.Share)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n</section>\n");
    }

    /// <summary>Realised performance (when outcomes are known) beside the CBPE estimate, and the calibration table.</summary>
    public static void Performance(StringBuilder html, PerformanceReport performance)
    {
        html.Append("<h2 id=\"performance\">Performance</h2>\n");
        var realised = performance.Realised;
        var estimated = performance.Estimated;
        if (realised is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"insufficient\">Realised performance not measured: {Encode(performance.RealisedNote)}.</p>\n");
        }

        html.Append("<table class=\"performance\"><thead><tr><th>metric</th><th>realised</th><th>estimated <span class=\"estimate\">estimate (CBPE)</span></th></tr></thead><tbody>\n");
        string R(Func<RealisedPerformance, double> metric, int decimals = 4) => realised is null ? "–" : Number(metric(realised), decimals);
        string E(Func<Core.Statistics.PerformanceMetrics, double> metric, int decimals = 4) => estimated is null ? "–" : Number(metric(estimated), decimals);
        Row(html, "ROC AUC", R(r => r.RocAuc), E(e => e.RocAuc));
        Row(html, "PR AUC (average precision)", R(r => r.PrAuc), "–");
        var threshold = realised?.AtThreshold.Threshold ?? estimated?.Threshold;
        var at = threshold is { } t ? $" at threshold {Number(t)}" : "";
        Row(html, "precision" + at, R(r => r.AtThreshold.Precision), E(e => e.Precision));
        Row(html, "recall" + at, R(r => r.AtThreshold.Recall), E(e => e.Recall));
        Row(html, "F1" + at, R(r => r.AtThreshold.F1), E(e => e.F1));
        Row(html, "conversion rate", realised is null ? "–" : Percent((double)realised.Conversions / realised.Labelled), estimated is null ? "–" : Percent(estimated.PositiveRate));
        Row(html, "Brier score", R(r => r.Brier), "–");
        Row(html, "expected calibration error", R(r => r.ExpectedCalibrationError), "–");
        Row(html, "leads", realised is null ? "–" : $"{Count(realised.Labelled)} labelled, {Count(realised.Conversions)} converted", estimated is null ? "–" : Count(estimated.Count));
        html.Append("</tbody></table>\n");
        if (realised is { Calibration.Count: > 0 })
        {
            html.Append("<h3>Calibration</h3>\n<table class=\"calibration\"><thead><tr><th>scores</th><th>leads</th><th>mean score</th><th>observed conversion</th><th>gap</th></tr></thead><tbody>\n");
            foreach (var bin in realised.Calibration)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>[{Number(bin.Lower, 2)}, {Number(bin.Upper, 2)})</td><td class=\"num\">{Count(bin.Count)}</td><td class=\"num\">{Number(bin.MeanScore, 4)}</td><td class=\"num\">{Number(bin.ObservedRate, 4)}</td><td class=\"num\">{DriftReportHtml.Signed(bin.ObservedRate - bin.MeanScore)}</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }
    }

    /// <summary>Conversion and revenue by band, lift by decile and precision at the sales team's daily capacity.</summary>
    public static void Business(StringBuilder html, BusinessReport business)
    {
        html.Append("<h2 id=\"business\">Business</h2>\n");
        var c = business.AtCapacity;
        html.Append(CultureInfo.InvariantCulture, $"<p>Precision at capacity: of each day's {Count(c.Capacity)} best-scored leads ({Count(c.Selected)} over {Count(c.Days)} days, {Count(c.Labelled)} with a known outcome), ");
        html.Append(c.Labelled == 0
            ? "none has a known outcome yet.</p>\n"
            : string.Create(CultureInfo.InvariantCulture, $"{Count(c.Conversions)} converted: precision {Percent(c.Precision)} against a base rate of {Percent(c.BaseRate)} (lift {Number(c.Lift, 2)}).</p>\n"));
        html.Append("<h3>By band</h3>\n<table class=\"business-bands\"><thead><tr><th>band</th><th>leads</th><th>with outcome</th><th>converted</th><th>conversion rate</th><th>revenue per lead</th></tr></thead><tbody>\n");
        foreach (var band in business.ByBand)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(band.Band)}</td><td class=\"num\">{Count(band.Leads)}</td><td class=\"num\">{Count(band.Labelled)}</td><td class=\"num\">{Count(band.Conversions)}</td><td class=\"num\">{(band.Labelled == 0 ? "–" : Percent(band.ConversionRate))}</td><td class=\"num\">{(band.Labelled == 0 ? "–" : Number(band.RevenuePerLead, 2))}</td></tr>\n");
        }

        html.Append("</tbody></table>\n<h3>Lift by decile</h3>\n");
        if (business.LiftByDecile.Count == 0)
        {
            html.Append("<p class=\"insufficient\">Insufficient data: fewer than ten leads with a known outcome.</p>\n");
            return;
        }

        html.Append("<table class=\"lift\"><thead><tr><th>decile</th><th>scores</th><th>leads</th><th>converted</th><th>conversion rate</th><th>lift</th><th>cumulative gain</th><th></th></tr></thead><tbody>\n");
        foreach (var row in business.LiftByDecile)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{row.Group}</td><td>{Number(row.MinScore, 3)}–{Number(row.MaxScore, 3)}</td><td class=\"num\">{Count(row.Count)}</td><td class=\"num\">{Count(row.Conversions)}</td><td class=\"num\">{Percent(row.ConversionRate)}</td><td class=\"num\">{Number(row.Lift, 2)}</td><td class=\"num\">{Percent(row.CumulativeGain)}</td><td>{Bar(row.CumulativeGain)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void Row(StringBuilder html, string metric, string realised, string estimated) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(metric)}</th><td class=\"num\">{Encode(realised)}</td><td class=\"num\">{Encode(estimated)}</td></tr>\n");

    /// <summary>A horizontal bar in CSS (not SVG: the report's SVGs are its distribution charts).</summary>
    private static string Bar(double share) =>
        string.Create(CultureInfo.InvariantCulture, $"<span class=\"bar\" style=\"width:{Px(Math.Clamp(share, 0, 1) * 160)}px\"></span>");
}
