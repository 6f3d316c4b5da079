using System.Globalization;

namespace LeadScoring.Core.Deployments;

/// <summary>What the analysis recommends.</summary>
public enum RecommendationKind
{
    /// <summary>Keep the experiment running: no decision yet.</summary>
    Continue,

    /// <summary>The challenger is better by the configured margin, significantly, without more errors or slower answers.</summary>
    Promote,

    /// <summary>The challenger is significantly worse: end the experiment.</summary>
    Stop,

    /// <summary>No recommendation: the experiment is broken (sample-ratio mismatch), so every figure is suspect.</summary>
    Withheld,
}

/// <summary>A recommendation and the sentence that justifies it with the measured numbers.</summary>
/// <param name="Kind">Continue, promote, stop, or withheld.</param>
/// <param name="Reason">Why, naming the figures.</param>
public sealed record Recommendation(RecommendationKind Kind, string Reason)
{
    /// <summary>The wire name: "continue", "promote", "stop" or "withheld".</summary>
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The rules, in order: a broken split withholds; a primary metric (conversion rate, revenue per lead, ROC AUC)
    /// significantly worse by the always-valid test stops; a primary metric better by at least its minimum lift
    /// (AUC 2 %, conversion or revenue per lead 5 %, relative) and significantly so promotes, provided the
    /// challenger's error rate is not significantly higher (one-sided two-proportion z-test at α) and its P95 is
    /// at most the allowed multiple of the champion's; anything else continues.
    /// </summary>
    internal static Recommendation Decide(
        SampleRatioCheck? sampleRatio,
        IReadOnlyList<MetricComparison> metrics,
        ArmSummary champion,
        ArmSummary challenger,
        SampleSizeProgress? sampleSize,
        ExperimentOptions options)
    {
        if (sampleRatio is { Mismatch: true } srm)
        {
            return new(RecommendationKind.Withheld, Invariant(
                $"The split is broken: the challenger served {srm.ChallengerLeads} of {srm.ChampionLeads + srm.ChallengerLeads} leads ({Percent(srm.ObservedShare)}) against a configured {Percent(srm.ExpectedShare)} (sample-ratio χ² = {srm.ChiSquare:0.##}, p = {srm.PValue:0.###E+0} < {options.SampleRatioAlpha}); no decision until the assignment is fixed."));
        }

        var worse = metrics.FirstOrDefault(m => m.SignificantlyWorse(options.Alpha));
        if (worse is not null)
        {
            return new(RecommendationKind.Stop, "The challenger is significantly worse: " + Describe(worse) + ".");
        }

        var wins = metrics.Where(m => m.SignificantlyBetter(options.Alpha) && m.RelativeLift >= MinimumLift(m, options)).ToList();
        if (wins.Count > 0)
        {
            var held = new List<string>();
            var blocked = new List<string>();
            ErrorRate(champion, challenger, options, held, blocked);
            Latency(champion, challenger, options, held, blocked);
            var win = string.Join("; ", wins.Select(Describe));
            return blocked.Count > 0
                ? new(RecommendationKind.Continue, Invariant($"The challenger is better ({win}) but {string.Join(" and ", blocked)}."))
                : new(RecommendationKind.Promote, Invariant($"The challenger is better: {win}; {string.Join("; ", held)}."));
        }

        var progress = metrics.Count == 0
            ? "no metric can be compared yet (both arms need labelled leads)"
            : string.Join("; ", metrics.Select(Describe));
        var size = sampleSize is null
            ? string.Empty
            : Invariant($"; {sampleSize.LabelledPerArm} of the {sampleSize.RequiredPerArm} labelled leads per arm needed to detect a {Percent(sampleSize.MinimumLift)} lift ({Percent(sampleSize.Progress)})");
        return new(RecommendationKind.Continue, Invariant($"No significant difference of the size that matters yet: {progress}{size}."));
    }

    private static double MinimumLift(MetricComparison metric, ExperimentOptions options) =>
        metric.Metric == MetricComparison.RocAuc ? options.MinimumAucLift : options.MinimumLift;

    private static void ErrorRate(ArmSummary champion, ArmSummary challenger, ExperimentOptions options, List<string> held, List<string> blocked)
    {
        if (champion.Requests == 0 || challenger.Requests == 0)
        {
            held.Add("error rates not counted");
            return;
        }

        var test = Statistics.TwoProportionZTest.Test(champion.Errors, champion.Requests, challenger.Errors, challenger.Requests);
        var pHigher = Statistics.NormalTail.Upper(test.Z);
        var figures = Invariant($"error rate {Percent(test.RateB)} against {Percent(test.RateA)} (one-sided p = {pHigher:0.####})");
        (pHigher < options.Alpha ? blocked : held).Add(pHigher < options.Alpha ? "its " + figures + " is higher" : figures);
    }

    private static void Latency(ArmSummary champion, ArmSummary challenger, ExperimentOptions options, List<string> held, List<string> blocked)
    {
        if (champion.LatencyP95Ms is not { } baseline || challenger.LatencyP95Ms is not { } p95)
        {
            held.Add("latency not measured");
            return;
        }

        var limit = options.MaxLatencyRatio * baseline;
        var figures = Invariant($"P95 {p95:0.###} ms against {baseline:0.###} ms");
        (p95 > limit ? blocked : held).Add(p95 > limit ? Invariant($"its {figures} is above {options.MaxLatencyRatio:0.##} × the champion's") : figures);
    }

    private static string Describe(MetricComparison m)
    {
        var name = m.Metric switch
        {
            MetricComparison.ConversionRate => "conversion rate",
            MetricComparison.RevenuePerLead => "revenue per lead",
            _ => "ROC AUC",
        };
        var value = m.Metric == MetricComparison.ConversionRate
            ? Invariant($"{Percent(m.Challenger)} against {Percent(m.Champion)}")
            : Invariant($"{m.Challenger:0.####} against {m.Champion:0.####}");
        var lift = m.RelativeLift is { } l ? Invariant($", {(l >= 0 ? "+" : string.Empty)}{Percent(l)}") : string.Empty;
        return Invariant($"{name} {value}{lift} (always-valid p = {m.AlwaysValidPValue:0.####})");
    }

    private static string Percent(double share) => Invariant($"{share * 100:0.##} %");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
