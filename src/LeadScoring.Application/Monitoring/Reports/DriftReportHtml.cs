using System.Globalization;
using System.Text;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;
using static LeadScoring.Application.Monitoring.Reports.HtmlText;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>
/// Renders a monitoring run as one self-contained HTML page, in the spirit of Evidently's drift report: a summary,
/// a table of every feature (drifted first, by estimated impact), each feature's reference and current
/// distributions side by side, the score distribution and bands, realised and estimated performance, and the
/// business figures. Nothing is fetched when it is opened: styles are inline, charts are inline SVG drawn here,
/// there is no script, and a Content-Security-Policy forbids loading anything.
/// </summary>
public static class DriftReportHtml
{
    /// <summary>The page's Content-Security-Policy: nothing may be loaded, inline styles only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#222;background:#fff}
        h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1em;margin:1.2em 0 .3em}
        .meta{color:#555;margin:.2em 0}.note{color:#555;font-size:.9em}
        table{border-collapse:collapse;margin:.4em 0;font-size:.9em}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .tiles{display:flex;flex-wrap:wrap;gap:8px}.tile{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:150px}
        .tile .label{color:#555;font-size:.8em}.tile .value{font-size:1.25em;font-weight:600}
        .drifted{color:#b3261e;font-weight:600}.stable{color:#1e7b34}.insufficient{color:#777;font-style:italic}.failed{color:#b3261e;font-weight:600}
        .band-critical{color:#b3261e;font-weight:600}.band-warning{color:#a15c00}.band-none{color:#1e7b34}
        .estimate{background:#fff6d6;border:1px dashed #c9a400;border-radius:3px;padding:0 4px;font-size:.8em;margin-left:4px}
        .feature{border:1px solid #eee;border-radius:6px;padding:4px 12px 8px;margin:10px 0}
        svg.chart{display:block;font-size:11px;fill:#333}svg.chart .grid{stroke:#e5e5e5}svg.chart .baseline{stroke:#999}
        .bar{display:inline-block;height:10px;background:#8da0cb;vertical-align:middle}
        """;

    /// <summary>The page.</summary>
    public static string Render(DriftReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var report = input.Report;
        var header = input.Header;
        var title = $"Drift report: {header.ModelName}{Version(header.ModelVersion)} on {header.Subject}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Encode(title)}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Model <b>{Encode(header.ModelName)}</b>{Encode(Version(header.ModelVersion))} · data <b>{Encode(header.Subject)}</b> · generated {Encode(header.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))}</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Reference: {Count(input.Reference.Rows)} training rows{(input.Reference.PositiveRate is { } rate ? $", conversion {Percent(rate)}" : "")}. Current: {Count(report.Count)} leads, {Count(report.Labelled)} with a known outcome.</p>\n");

        Summary(html, report);
        FeatureTable(html, report);
        Distributions(html, report);
        PerformanceSections.Prediction(html, report.Prediction);
        PerformanceSections.Performance(html, report.Performance);
        PerformanceSections.Business(html, report.Business);
        html.Append("<p class=\"note\">Definitions and thresholds: docs/statistics.md (\"Monitoring a window\"). Estimates are CBPE (confidence-based performance estimation): valid while the scores stay calibrated.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The order the report lists features in: drifted first, ranked by estimated impact
    /// (<see cref="WindowReport.DriftedFeaturesByImpact"/>; drifted ones without an estimate after them), then stable,
    /// then those with insufficient data; schema order within each group.
    /// </summary>
    public static IReadOnlyList<FeatureDriftVerdict> FeatureOrder(WindowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < report.DriftedFeaturesByImpact.Count; i++)
        {
            rank.TryAdd(report.DriftedFeaturesByImpact[i].Feature, i);
        }

        return report.DataDrift
            .Select((verdict, index) => (verdict, index))
            .OrderBy(x => x.verdict.Verdict switch { DriftVerdict.Drifted => 0, DriftVerdict.Stable => 1, _ => 2 })
            .ThenBy(x => x.verdict.Verdict == DriftVerdict.Drifted ? rank.GetValueOrDefault(x.verdict.Feature, int.MaxValue) : 0)
            .ThenBy(x => x.index)
            .Select(x => x.verdict)
            .ToList();
    }

    private static void Summary(StringBuilder html, WindowReport report)
    {
        html.Append("<h2 id=\"summary\">Summary</h2>\n<div class=\"tiles\">\n");
        var measured = report.DataDrift.Count(d => d.Report is not null);
        var failures = report.DataQuality.Where(q => q.Verdict == QualityVerdict.Failed).Select(q => q.Feature).ToList();
        Tile(html, "leads", Count(report.Count));
        Tile(html, "with a known outcome", Count(report.Labelled));
        Tile(html, "drifted features / measured", $"{report.DriftedFeatures.Count} / {measured}", report.DriftedFeatures.Count > 0 ? "drifted" : null);
        if (report.DriftSummary is { } drift)
        {
            Tile(html, "overall PSI (mean)", $"{Number(drift.OverallPsi)} ({Band(drift.Severity)})", BandClass(drift.Severity));
            Tile(html, "max PSI", Number(drift.MaxPsi));
            Tile(html, "dataset drift", drift.DatasetDrifted ? "yes" : "no", drift.DatasetDrifted ? "drifted" : "stable");
        }
        else
        {
            Tile(html, "dataset drift", "insufficient data", "insufficient");
        }

        Tile(html, "data-quality failures", failures.Count == 0 ? "none" : $"{failures.Count}: {string.Join(", ", failures)}", failures.Count > 0 ? "failed" : null);
        Tile(html, "score PSI", report.Prediction.ScoreDrift is { } score ? $"{Number(score.Psi.Statistic)} ({Band(score.Severity)})" : "insufficient data",
            report.Prediction.ScoreDrift is { } s ? BandClass(s.Severity) : "insufficient");
        Tile(html, "realised ROC AUC", report.Performance.Realised is { } realised ? Number(realised.RocAuc) : "not measured");
        Tile(html, "estimated ROC AUC", report.Performance.Estimated is { } estimated ? Number(estimated.RocAuc) : "n/a", null, estimate: true);
        var capacity = report.Business.AtCapacity;
        Tile(html, $"precision at capacity ({capacity.Capacity}/day)", capacity.Labelled == 0 ? "no outcomes" : $"{Percent(capacity.Precision)} (lift {Number(capacity.Lift, 2)})");
        html.Append("</div>\n");
        if (report.DriftedFeaturesByImpact.Count > 0)
        {
            html.Append("<p>Drifted features by estimated impact on ROC AUC: ");
            html.Append(string.Join(", ", report.DriftedFeaturesByImpact.Select(i => $"<b>{Encode(i.Feature)}</b> ({Signed(i.AucChange)})")));
            html.Append("<span class=\"estimate\">estimate</span></p>\n");
        }
    }

    private static void Tile(StringBuilder html, string label, string value, string? valueClass = null, bool estimate = false)
    {
        var cls = valueClass is null ? "value" : $"value {valueClass}";
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"tile\"><div class=\"label\">{Encode(label)}{(estimate ? "<span class=\"estimate\">estimate</span>" : "")}</div><div class=\"{cls}\">{Encode(value)}</div></div>\n");
    }

    private static void FeatureTable(StringBuilder html, WindowReport report)
    {
        html.Append("<h2 id=\"features\">Features</h2>\n<table class=\"features\">\n<thead><tr><th>feature</th><th>type</th><th>verdict</th><th>PSI (band)</th><th>KL</th><th>test</th><th>statistic</th>");
        html.Append("<th>p-value</th><th>BH-adjusted p</th><th>effect size</th><th>est. ROC AUC change</th><th>data quality</th></tr></thead>\n<tbody>\n");
        var impacts = report.DriftedFeaturesByImpact.GroupBy(i => i.Feature, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var ordered = FeatureOrder(report);
        for (var i = 0; i < ordered.Count; i++)
        {
            var d = ordered[i];
            var quality = report.DataQuality.FirstOrDefault(q => q.Feature == d.Feature);
            html.Append(CultureInfo.InvariantCulture, $"<tr data-feature=\"{Encode(d.Feature)}\"><td><a href=\"#feature-{SchemaIndex(report, d)}\">{Encode(d.Feature)}</a></td><td>{TypeName(d.Type)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"{VerdictClass(d.Verdict)}\">{VerdictName(d.Verdict)}</span><br><span class=\"note\">{Encode(d.Reason)}</span></td>");
            if (d.Report is { } r)
            {
                var test = Test(r);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\"><span class=\"{BandClass(r.Severity)}\">{Number(r.Psi.Statistic)} ({Band(r.Severity)})</span></td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Number(r.Get(DriftMethod.KullbackLeibler).Statistic)}</td><td>{TestName(test.Method)}{(test.Approximate ? " (from the profile's percentiles)" : "")}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Significant(test.Statistic)}</td><td class=\"num\">{Significant(d.PValue)}</td><td class=\"num\">{Significant(d.AdjustedPValue)}</td><td class=\"num\">{Number(d.EffectSize)}</td>");
            }
            else
            {
                html.Append("<td class=\"insufficient\" colspan=\"7\">insufficient data</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(impacts.TryGetValue(d.Feature, out var impact) ? Signed(impact.AucChange) : "–")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{QualityCell(quality)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<p class=\"note\">PSI bands: below 0.1 none, 0.1–0.25 warning, above 0.25 critical. Tests: KS for numeric features, χ² for categorical, two-proportion z for boolean; ");
        html.Append("p-values are Benjamini–Hochberg adjusted across the features. The verdict follows the size-aware rule: a test decides small windows, a distance large ones.</p>\n");
    }

    private static void Distributions(StringBuilder html, WindowReport report)
    {
        html.Append("<h2 id=\"distributions\">Distributions: reference and current</h2>\n");
        foreach (var d in FeatureOrder(report))
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"feature\" id=\"feature-{SchemaIndex(report, d)}\" data-feature=\"{Encode(d.Feature)}\">\n");
            html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(d.Feature)} <span class=\"note\">({TypeName(d.Type)})</span> · <span class=\"{VerdictClass(d.Verdict)}\">{VerdictName(d.Verdict)}</span></h3>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Encode(d.Reason)}</p>\n");
            if (d.Report is { } r)
            {
                html.Append(DistributionChart.Render($"{d.Feature}: reference and current distributions", r.Bins)).Append('\n');
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Count(r.ReferenceCount)} reference values, {Count(r.CurrentCount)} current values (missing values are not part of the distribution; see data quality).</p>\n");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"insufficient\">No chart: {Encode(d.Reason)}.</p>\n");
            }

            html.Append("</section>\n");
        }
    }

    private static string QualityCell(FeatureQuality? quality)
    {
        if (quality is null)
        {
            return "–";
        }

        var rates = $"missing {Percent(quality.MissingRate)} (ref {Percent(quality.ReferenceMissingRate)})";
        if (quality.Verdict == QualityVerdict.Failed)
        {
            return $"<span class=\"failed\">failed</span>: {Encode(string.Join("; ", quality.Problems))}<br><span class=\"note\">{Encode(rates)}</span>";
        }

        return quality.Verdict == QualityVerdict.InsufficientData
            ? "<span class=\"insufficient\">no leads</span>"
            : $"ok<br><span class=\"note\">{Encode(rates)}</span>";
    }

    private static int SchemaIndex(WindowReport report, FeatureDriftVerdict verdict) => IndexOf(report.DataDrift, verdict);

    private static int IndexOf(IReadOnlyList<FeatureDriftVerdict> list, FeatureDriftVerdict item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The type's own test (KS, χ², z): the statistic the table shows beside its p-value.</summary>
    private static DriftResult Test(FeatureDriftReport report) => report.Get(report.Type switch
    {
        FeatureType.Numeric => DriftMethod.KolmogorovSmirnov,
        FeatureType.Categorical => DriftMethod.ChiSquare,
        _ => DriftMethod.TwoProportionZ,
    });

    internal static string Version(int? version) => version is { } v ? string.Create(CultureInfo.InvariantCulture, $" v{v}") : "";

    internal static string Signed(double value) => (value >= 0 ? "+" : "") + Number(value, 4);

    internal static string Band(DriftSeverity severity) => severity.ToString().ToLowerInvariant();

    internal static string BandClass(DriftSeverity severity) => "band-" + Band(severity);

    private static string TypeName(FeatureType type) => type.ToString().ToLowerInvariant();

    private static string VerdictName(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient data",
    };

    private static string VerdictClass(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "drifted",
        DriftVerdict.Stable => "stable",
        _ => "insufficient",
    };

    private static string TestName(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "KS D",
        DriftMethod.ChiSquare => "χ²",
        _ => "z",
    };
}
