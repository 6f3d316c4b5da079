using System.Globalization;

namespace LeadScoring.Core.Retraining;

/// <summary>The gate's reasons: one plain sentence per criterion with its numbers, the DeLong report, the verdict last.</summary>
internal static class GateReasons
{
    public static IReadOnlyList<string> Of(GateResult r, GateOptions o)
    {
        var reasons = new List<string>();
        reasons.Add(r.RelativeAucGain is { } aucGain
            ? Text($"ROC AUC {r.ChallengerAuc:0.000} vs {r.ChampionAuc:0.000}: {Percent(aucGain)} relative, needs {Percent(o.MinRelativeAucGain)}: {Met(r.AucMet)}")
            : Text($"ROC AUC {r.ChallengerAuc:0.000} vs {r.ChampionAuc:0.000}: the champion's AUC is 0, so no relative gain exists; counted as a gain only if the challenger's is above 0: {Met(r.AucMet)}"));

        var capacity = Text($"conversions captured calling the top {o.DailyCapacity} leads of each of {r.Days} {(r.Days == 1 ? "day" : "days")}");
        reasons.Add(r.CapturedGain is { } capturedGain
            ? Text($"{capacity}: {r.ChallengerCaptured} vs {r.ChampionCaptured}: {Percent(capturedGain)}, needs {Percent(o.MinCapturedGain)}: {Met(r.CapturedMet)}")
            : Text($"{capacity}: {r.ChallengerCaptured} vs {r.ChampionCaptured}: the champion captured none, so no relative gain exists; counted as a gain only if the challenger captured any: {Met(r.CapturedMet)}"));

        reasons.Add(Text($"calibration (ECE over {o.CalibrationBins} bins) {r.ChallengerEce:0.0000} vs {r.ChampionEce:0.0000}: may exceed the champion's by at most {o.EceTolerance:0.0000}: {(r.CalibrationMet ? "met" : "not met (worse calibrated)")}"));

        if (r.DeLong is { } d)
        {
            var level = (1 - o.Alpha) * 100;
            reasons.Add(Text(
                $"DeLong test on the {r.Rows} shared leads (reported, not required): AUC difference {Signed(-d.Difference)} ({level:0.#} % CI {Signed(r.AucDifferenceLower!.Value)} to {Signed(r.AucDifferenceUpper!.Value)}), z = {-d.Z:0.00}, p = {d.PValue:0.0000}: {(r.DeLongSignificant ? "significant" : "not significant")} at alpha {o.Alpha:0.###}"));
        }
        else
        {
            reasons.Add(Text($"DeLong test not computed: the fold holds {r.Positives} converted and {r.Rows - r.Positives} non-converted leads, it needs at least two of each"));
        }

        string verdict;
        if (r.Passed)
        {
            var why = r.AucMet && r.CapturedMet ? "both the AUC and the captured conversions improved enough" : r.AucMet ? "the AUC improved enough" : "the captured conversions improved enough";
            verdict = $"passed: {why}, and the challenger is not worse calibrated";
        }
        else if (!r.AucMet && !r.CapturedMet)
        {
            verdict = "failed: neither the AUC nor the captured conversions improved enough" + (r.CalibrationMet ? "" : ", and the challenger is worse calibrated");
        }
        else
        {
            verdict = "failed: the challenger ranks better but is worse calibrated (calibration veto)";
        }

        reasons.Add(Text($"{verdict} ({r.Rows} leads, {r.Positives} converted)"));
        return reasons;
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static string Percent(double share) => Text($"{(share >= 0 ? "+" : "−")}{Math.Abs(share) * 100:0.0} %");

    private static string Signed(double value) => Text($"{(value >= 0 ? "+" : "−")}{Math.Abs(value):0.000}");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
