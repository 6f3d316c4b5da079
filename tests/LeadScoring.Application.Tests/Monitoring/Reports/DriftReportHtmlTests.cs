using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LeadScoring.Application.Monitoring.Reports;
using LeadScoring.Core.Monitoring;

namespace LeadScoring.Application.Tests.Monitoring.Reports;

/// <summary>The HTML drift report: encoded, self-contained, one chart per measured feature and the scores, the report's own numbers.</summary>
public sealed class DriftReportHtmlTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static readonly Lazy<(DriftReportInput Input, string Html)> Rendered = new(() =>
    {
        var input = HostileWindow.Input(GeneratedAt);
        return (input, DriftReportHtml.Render(input));
    });

    private static DriftReportInput Input => Rendered.Value.Input;

    private static WindowReport Report => Input.Report;

    private static string Html => Rendered.Value.Html;

    [Fact]
    public void The_window_is_what_the_tests_below_rely_on_one_drifted_one_insufficient_and_scores_measured()
    {
        Assert.Equal([HostileWindow.AttributeFeature], Report.DriftedFeatures);
        Assert.Equal(DriftVerdict.InsufficientData, Report.DataDrift.Single(d => d.Feature == HostileWindow.SparseFeature).Verdict);
        Assert.NotNull(Report.Prediction.ScoreDrift);
        Assert.NotNull(Report.Performance.Realised);
    }

    [Fact]
    public void User_supplied_names_and_categories_are_encoded_and_never_become_markup()
    {
        foreach (var hostile in new[] { HostileWindow.ScriptFeature, HostileWindow.AttributeFeature, HostileWindow.BooleanFeature, HostileWindow.SparseFeature, HostileWindow.ImageCategory, HostileWindow.LinkCategory, "model <i>x</i>", "leads & <u>more</u>.csv" })
        {
            Assert.DoesNotContain(hostile, Html, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(hostile), Html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", Html, StringComparison.OrdinalIgnoreCase);
        // No tag carries an event handler once its quoted attribute values are set aside.
        foreach (var tag in Regex.Matches(Html, "<[a-zA-Z][^>]*>").Select(m => Regex.Replace(m.Value, "\"[^\"]*\"", "\"\"")))
        {
            Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), tag);
        }

        // The categories label the chart's bins; "a&b" is there, encoded.
        Assert.Contains(">a&amp;b<", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_loaded_from_anywhere_no_external_url_script_stylesheet_font_or_image()
    {
        Assert.DoesNotMatch(new Regex(@"\b(?:src|href|action|xlink:href)\s*=\s*[""']?\s*(?:[a-z][a-z0-9+.-]*:|//)", RegexOptions.IgnoreCase), Html);
        Assert.DoesNotMatch(new Regex(@"<(?:script|link|img|iframe|object|embed|image|use)\b", RegexOptions.IgnoreCase), Html);
        Assert.DoesNotContain("@import", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@font-face", Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{DriftReportHtml.ContentSecurityPolicy}\">", Html, StringComparison.Ordinal);
        // The only links are to the page's own sections.
        Assert.All(Regex.Matches(Html, @"href=""([^""]*)""").Select(m => m.Groups[1].Value), href => Assert.Matches("^#feature-[0-9]+$", href));
    }

    [Fact]
    public void There_is_one_chart_per_measured_feature_plus_the_score_chart()
    {
        var measured = Report.DataDrift.Where(d => d.Report is not null).ToList();
        Assert.Equal(3, measured.Count);

        Assert.Equal(measured.Count + 1, Regex.Count(Html, "<svg "));
        foreach (var d in measured)
        {
            var section = Section(d.Feature);
            Assert.Equal(1, Regex.Count(section, "<svg "));
            // One reference and one current bar per bin.
            Assert.Equal(d.Report!.Bins.Labels.Count, Regex.Count(section, "<rect class=\"reference\""));
            Assert.Equal(d.Report.Bins.Labels.Count, Regex.Count(section, "<rect class=\"current\""));
        }

        var scores = Regex.Match(Html, "<section class=\"feature\" id=\"scores\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(1, Regex.Count(scores, "<svg "));
        Assert.Equal(Report.Prediction.ScoreDrift!.Bins.Labels.Count, Regex.Count(scores, "<rect class=\"current\""));
    }

    [Fact]
    public void A_feature_with_insufficient_data_says_so_instead_of_a_chart()
    {
        var sparse = Report.DataDrift.Single(d => d.Feature == HostileWindow.SparseFeature);

        var section = Section(sparse.Feature);

        Assert.DoesNotContain("<svg", section, StringComparison.Ordinal);
        Assert.Contains($"No chart: {WebUtility.HtmlEncode(sparse.Reason)}", section, StringComparison.Ordinal);
        Assert.StartsWith("insufficient data:", sparse.Reason, StringComparison.Ordinal);
        Assert.Contains("insufficient data", Row(sparse.Feature), StringComparison.Ordinal);
    }

    [Fact]
    public void Features_are_listed_drifted_first_then_stable_then_insufficient_in_the_table_and_the_charts()
    {
        var expected = DriftReportHtml.FeatureOrder(Report).Select(d => WebUtility.HtmlEncode(d.Feature)).ToList();

        Assert.Equal(HostileWindow.AttributeFeature, DriftReportHtml.FeatureOrder(Report)[0].Feature);
        Assert.Equal(HostileWindow.SparseFeature, DriftReportHtml.FeatureOrder(Report)[^1].Feature);
        Assert.Equal(expected, Regex.Matches(Html, "<tr data-feature=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(expected, Regex.Matches(Html, "<section class=\"feature\" id=\"feature-[0-9]+\" data-feature=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void The_numbers_are_the_reports_own()
    {
        var drifted = Report.DataDrift.Single(d => d.Verdict == DriftVerdict.Drifted);
        var row = Row(drifted.Feature);
        Assert.Contains($">{F(drifted.Psi)} (critical)<", row, StringComparison.Ordinal);
        Assert.Contains($">{drifted.AdjustedPValue!.Value.ToString("G3", CultureInfo.InvariantCulture)}<", row, StringComparison.Ordinal);
        Assert.Contains(">drifted<", row, StringComparison.Ordinal);

        var measured = Report.DataDrift.Count(d => d.Report is not null);
        Assert.Contains($">{Report.DriftedFeatures.Count} / {measured}<", Html, StringComparison.Ordinal);
        Assert.Contains($">{F(Report.DriftSummary!.MaxPsi)}<", Html, StringComparison.Ordinal);
        Assert.Contains($">{F(Report.Prediction.ScorePsi!.Value)} (", Html, StringComparison.Ordinal);
        Assert.Contains($">{F(Report.Performance.Realised!.RocAuc)}<", Html, StringComparison.Ordinal);
        Assert.Contains($">{F(Report.Performance.Estimated!.RocAuc)}<", Html, StringComparison.Ordinal);
        Assert.Contains(">1,500<", Html, StringComparison.Ordinal);
        Assert.Contains("generated 2026-03-01 09:30:00 UTC", Html, StringComparison.Ordinal);

        // The bars are the bins' shares: the tallest current bar of the drifted feature is its largest category.
        var bins = drifted.Report!.Bins;
        var largest = Array.IndexOf(bins.CurrentCounts, bins.CurrentCounts.Max());
        var share = (double)bins.CurrentCounts[largest] / bins.CurrentCounts.Sum();
        Assert.Contains($"current {(share * 100).ToString("0.0", CultureInfo.InvariantCulture)} % ({bins.CurrentCounts[largest].ToString("N0", CultureInfo.InvariantCulture)})", Section(drifted.Feature), StringComparison.Ordinal);
    }

    [Fact]
    public void The_estimate_is_marked_as_one_wherever_it_is_shown()
    {
        Assert.Matches(new Regex("estimated ROC AUC<span class=\"estimate\">estimate</span>"), Html);
        Assert.Contains("estimated <span class=\"estimate\">estimate (CBPE)</span>", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_too_small_to_judge_anything_says_so_in_words_and_draws_no_chart()
    {
        var small = HostileWindow.Input(GeneratedAt, currentRows: 50);

        var html = DriftReportHtml.Render(small);

        Assert.True(small.Report.InsufficientData);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Equal(small.Report.DataDrift.Count, Regex.Count(html, "<p class=\"insufficient\">No chart: insufficient data: "));
        Assert.Contains("No chart: insufficient data (the reference profile has no scores, or fewer scores than the minimum sample size on either side)", html, StringComparison.Ordinal);
        Assert.Contains($"Realised performance not measured: {WebUtility.HtmlEncode(small.Report.Performance.RealisedNote)}", html, StringComparison.Ordinal);
        Assert.Contains(">insufficient data<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
    }

    private static string F(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Section(string feature)
    {
        var match = Regex.Match(Html, $"<section class=\"feature\" id=\"feature-[0-9]+\" data-feature=\"{Regex.Escape(WebUtility.HtmlEncode(feature))}\">(.*?)</section>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no section for {feature}");
        return match.Groups[1].Value;
    }

    private static string Row(string feature)
    {
        var match = Regex.Match(Html, $"<tr data-feature=\"{Regex.Escape(WebUtility.HtmlEncode(feature))}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no table row for {feature}");
        return match.Groups[1].Value;
    }
}
