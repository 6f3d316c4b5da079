using System.Globalization;
using System.Text;
using LeadScoring.Application.Deployments;
using LeadScoring.Core.Deployments;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Cli.Commands;

/// <summary>A deployment's status and analysis as readable tables.</summary>
internal static class DeployStatusText
{
    public static string Render(DeploymentStatus status, DeploymentAnalysisReport? report, bool analysisAsked)
    {
        var d = status.Deployment;
        var text = new StringBuilder();
        Line(text, $"deployment {d.Id}  {d.ModelName}  {DeploymentNames.Of(d.Mode)}  {DeploymentNames.Of(d.State)}");
        Line(text, $"  {DeployCommand.Describe(d)}");
        Line(text, $"  started {Time(d.CreatedAt)} by {d.CreatedBy}{(d.EndedAt is { } ended ? $", ended {Time(ended)}" : string.Empty)}{(d.Reason is { } r ? $" ({r})" : string.Empty)}");
        text.AppendLine();
        Line(text, $"{"AT",-19}  {"ACTOR",-20}  ACTION");
        foreach (var e in status.Events)
        {
            Line(text, $"{Time(e.At, seconds: true),-19}  {e.Actor,-20}  {e.Action}{(e.Reason is { } why ? $" ({why})" : string.Empty)}{(e.FiguresJson is { } figures ? " " + figures : string.Empty)}");
        }

        if (analysisAsked)
        {
            text.AppendLine();
            if (report is null)
            {
                text.AppendLine("no analysis: a single deployment has no challenger");
            }
            else
            {
                Analysis(text, report);
            }
        }

        return text.ToString();
    }

    private static void Analysis(StringBuilder text, DeploymentAnalysisReport report)
    {
        var d = report.Deployment;
        var a = report.Analysis;
        var window = d.Mode == DeploymentMode.Canary ? $"canary step {d.Step + 1} since" : "from";
        Line(text, $"ANALYSIS  {window} {Time(report.From)} to {Time(report.To)}, outcomes known by {Time(report.KnownBy)}");
        Line(text, $"status    {a.StatusName}{(a.Design == ExperimentDesign.Split ? $" (configured challenger share {DeployCommand.Percent(report.ChallengerShare)})" : string.Empty)}");
        text.AppendLine();

        Line(text, $"{string.Empty,-22}{"CHAMPION v" + d.ChampionVersion,24}{"CHALLENGER v" + d.ChallengerVersion,24}");
        Row(text, "leads", a.Champion.Leads.ToString(CultureInfo.InvariantCulture), a.Challenger.Leads.ToString(CultureInfo.InvariantCulture));
        Row(text, "labelled", a.Champion.Labelled.ToString(CultureInfo.InvariantCulture), a.Challenger.Labelled.ToString(CultureInfo.InvariantCulture));
        Row(text, "conversions", a.Champion.Conversions.ToString(CultureInfo.InvariantCulture), a.Challenger.Conversions.ToString(CultureInfo.InvariantCulture));
        Row(text, "conversion rate", Rate(a.Champion), Rate(a.Challenger));
        Row(text, "revenue per lead", Number(a.Champion.RevenuePerLead, "0.00"), Number(a.Challenger.RevenuePerLead, "0.00"));
        Row(text, "ROC AUC", Number(a.Champion.RocAuc, "0.0000"), Number(a.Challenger.RocAuc, "0.0000"));
        Row(text, "latency P50/P95/P99 ms", Latency(a.Champion), Latency(a.Challenger));
        Row(text, "requests", a.Champion.Requests.ToString(CultureInfo.InvariantCulture), a.Challenger.Requests.ToString(CultureInfo.InvariantCulture));
        Row(text, "error rate", Errors(a.Champion), Errors(a.Challenger));

        if (a.Difference is { } diff)
        {
            text.AppendLine();
            Line(text, $"{"CHALLENGER - CHAMPION",-22}{"DIFFERENCE",12}{"LIFT",10}{"FIXED p",10}{"ALWAYS-VALID p",16}");
            foreach (var m in new[] { diff.Conversion, diff.RevenuePerLead, diff.RocAuc })
            {
                if (m is not null)
                {
                    Line(text, $"{Name(m.Metric),-22}{m.Difference,12:+0.####;-0.####;0}{(m.RelativeLift is { } l ? Signed(l) : "-"),10}{P(m.FixedHorizonPValue),10}{P(m.AlwaysValidPValue),16}");
                }
            }

            if (diff.Conversion is null && diff.RocAuc is null)
            {
                text.AppendLine("  nothing to compare yet: both arms need labelled leads");
            }

            if (diff.SampleSize is { } size)
            {
                Line(text, $"sample size: {size.LabelledPerArm} of the {size.RequiredPerArm} labelled leads per arm needed for a {DeployCommand.Percent(size.MinimumLift)} lift ({DeployCommand.Percent(size.Progress)})");
            }
        }

        if (a.SampleRatio is { } srm)
        {
            Line(text, $"sample ratio: challenger {srm.ChallengerLeads} of {srm.ChampionLeads + srm.ChallengerLeads} leads ({DeployCommand.Percent(srm.ObservedShare)}) against {DeployCommand.Percent(srm.ExpectedShare)}: chi-square {srm.ChiSquare:0.##}, p = {P(srm.PValue)} -> {(srm.Mismatch ? "MISMATCH (split broken)" : "ok")}");
        }
        else if (a.Design == ExperimentDesign.Split)
        {
            text.AppendLine("sample ratio: not judged yet (too few leads, or a share of 100 %)");
        }

        if (a.Shadow is { } shadow)
        {
            Shadow(text, shadow);
        }

        text.AppendLine();
        Line(text, $"RECOMMENDATION  {a.Recommendation.Name}: {a.Recommendation.Reason}");
    }

    private static void Shadow(StringBuilder text, ShadowAgreement s)
    {
        text.AppendLine();
        Line(text, $"SHADOW AGREEMENT on {s.Pairs} leads scored by both");
        Line(text, $"  Pearson {Number(s.Pearson, "0.000")}, Spearman {Number(s.Spearman, "0.000")}, top-decile agreement {DeployCommand.Percent(s.TopDecileAgreement)}, PSI {s.Psi:0.0000}");
        if (s.DeLong is { } delong)
        {
            Line(text, $"  DeLong: AUC {delong.AucChallenger:0.0000} against {delong.AucChampion:0.0000} (difference {-delong.Difference:+0.0000;-0.0000}, fixed p = {P(delong.PValue)}{(s.RocAuc is { } auc ? $", always-valid p = {P(auc.AlwaysValidPValue)}" : string.Empty)})");
        }
        else
        {
            text.AppendLine("  DeLong: needs labelled leads of both outcomes");
        }

        Line(text, $"  bands (rows champion, columns challenger); {s.BandChanges} leads change band");
        var header = new StringBuilder($"  {string.Empty,-10}");
        foreach (var to in s.Bands)
        {
            header.Append(CultureInfo.InvariantCulture, $"{to,10}");
        }

        Line(text, $"{header}");
        foreach (var from in s.Bands)
        {
            var row = new StringBuilder($"  {from,-10}");
            foreach (var to in s.Bands)
            {
                row.Append(CultureInfo.InvariantCulture, $"{s.Transitions.FirstOrDefault(t => t.From == from && t.To == to)?.Leads ?? 0,10}");
            }

            Line(text, $"{row}");
        }

        var k = s.TopK;
        Line(text, $"  daily call capacity {k.K}: {k.Overlap} leads in both top lists, {k.Entered} enter under the challenger; known conversions {k.ChampionConversions} -> {k.ChallengerConversions}");
    }

    private static void Row(StringBuilder text, string label, string champion, string challenger) => Line(text, $"{label,-22}{champion,24}{challenger,24}");

    private static string Rate(ArmSummary s) => s.ConversionRate is { } rate
        ? string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.00} % [{s.ConversionInterval!.Value.Lower * 100:0.0}, {s.ConversionInterval.Value.Upper * 100:0.0}]")
        : "-";

    private static string Latency(ArmSummary s) => s.LatencyP50Ms is { } p50
        ? string.Create(CultureInfo.InvariantCulture, $"{p50:0.###}/{s.LatencyP95Ms:0.###}/{s.LatencyP99Ms:0.###}")
        : "-";

    private static string Errors(ArmSummary s) => s.ErrorRate is { } rate
        ? string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.##} % ({s.Errors})")
        : "not counted";

    private static string Name(string metric) => metric switch
    {
        MetricComparison.ConversionRate => "conversion rate",
        MetricComparison.RevenuePerLead => "revenue per lead",
        _ => "ROC AUC",
    };

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Signed(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:+0.#;-0.#;0} %");

    private static string P(double p) => double.IsNaN(p) ? "-" : p < 0.0001 ? "<0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at, bool seconds = false) => at.UtcDateTime.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
