using System.Globalization;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Retraining;

/// <summary>
/// Issue 11's promotion gate: a retrained candidate (the challenger) replaces the Production model (the champion)
/// only if, on the same latest time fold, it ranks better — ROC AUC up by MinRelativeAucGain (relative) or the
/// conversions captured at the daily capacity up by MinCapturedGain — and is not worse calibrated (ECE). DeLong's
/// test on the shared fold is reported beside the verdict, not required: with a fold of a few thousand leads a real
/// 2 % gain is often not significant, and the gate's thresholds are the business's call.
/// </summary>
public static class PromotionGate
{
    /// <summary>
    /// Judges the challenger against the champion on <paramref name="input"/>. Throws <see cref="ArgumentException"/>
    /// for arrays of different lengths, a fold without both outcomes, or a score that is not a probability (NaN
    /// included); <see cref="ArgumentOutOfRangeException"/> for a bad option.
    /// </summary>
    public static GateResult Evaluate(GateInput input, GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Check(input);
        var labels = input.Labels;
        var positives = labels.Count(l => l);

        var championAuc = ClassificationMetrics.RocAuc(labels, input.ChampionScores);
        var challengerAuc = ClassificationMetrics.RocAuc(labels, input.ChallengerScores);
        var aucGain = Relative(challengerAuc, championAuc);
        var aucMet = aucGain is { } g ? g >= options.MinRelativeAucGain : challengerAuc > 0;

        DeLongResult? delong = null;
        double? lower = null, upper = null;
        var significant = false;
        if (positives >= 2 && labels.Length - positives >= 2)
        {
            delong = DeLong.Compare(labels, input.ChampionScores, input.ChallengerScores);
            var half = NormalTail.Quantile(1 - (options.Alpha / 2)) * delong.StandardError;
            lower = -delong.Difference - half;
            upper = -delong.Difference + half;
            significant = delong.PValue < options.Alpha;
        }

        var (championCaptured, days) = CapacityCapture.Count(labels, input.Times, input.ChampionScores, options.DailyCapacity);
        var (challengerCaptured, _) = CapacityCapture.Count(labels, input.Times, input.ChallengerScores, options.DailyCapacity);
        var capturedGain = Relative(challengerCaptured, championCaptured);
        var capturedMet = capturedGain is { } c ? c >= options.MinCapturedGain : challengerCaptured > 0;

        var championEce = ClassificationMetrics.ExpectedCalibrationError(ClassificationMetrics.Calibration(labels, input.ChampionScores, options.CalibrationBins));
        var challengerEce = ClassificationMetrics.ExpectedCalibrationError(ClassificationMetrics.Calibration(labels, input.ChallengerScores, options.CalibrationBins));
        var calibrationMet = challengerEce <= championEce + options.EceTolerance;

        var passed = (aucMet || capturedMet) && calibrationMet;
        var result = new GateResult(
            passed, labels.Length, positives, championAuc, challengerAuc, aucGain, aucMet, delong, lower, upper, significant,
            days, championCaptured, challengerCaptured, capturedGain, capturedMet, championEce, challengerEce, calibrationMet, []);
        return result with { Reasons = GateReasons.Of(result, options) };
    }

    /// <summary>(challenger − champion) / champion; null when the champion is 0 (no relative change exists).</summary>
    private static double? Relative(double challenger, double champion) => champion == 0 ? null : (challenger - champion) / champion;

    private static void Check(GateInput input)
    {
        ArgumentNullException.ThrowIfNull(input.Labels, nameof(input));
        ArgumentNullException.ThrowIfNull(input.Times, nameof(input));
        ArgumentNullException.ThrowIfNull(input.ChampionScores, nameof(input));
        ArgumentNullException.ThrowIfNull(input.ChallengerScores, nameof(input));
        var n = input.Labels.Length;
        if (input.Times.Length != n || input.ChampionScores.Length != n || input.ChallengerScores.Length != n)
        {
            throw new ArgumentException(
                Text($"the gate's arrays must pair up one to one: {n} labels, {input.Times.Length} times, {input.ChampionScores.Length} champion scores, {input.ChallengerScores.Length} challenger scores"),
                nameof(input));
        }

        var positives = input.Labels.Count(l => l);
        if (positives == 0 || positives == n)
        {
            throw new ArgumentException(
                Text($"the fold holds {positives} converted and {n - positives} non-converted leads; the gate needs both outcomes"), nameof(input));
        }

        foreach (var (scores, who) in new[] { (input.ChampionScores, "champion"), (input.ChallengerScores, "challenger") })
        {
            var bad = Array.FindIndex(scores, s => !(s >= 0 && s <= 1));
            if (bad >= 0)
            {
                throw new ArgumentException(Text($"the {who}'s score of row {bad} is {scores[bad]}; the gate needs probabilities in [0, 1]"), nameof(input));
            }
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
