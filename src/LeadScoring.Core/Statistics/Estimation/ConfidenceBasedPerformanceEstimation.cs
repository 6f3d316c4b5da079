namespace LeadScoring.Core.Statistics;

/// <summary>
/// Confidence-based performance estimation (CBPE, as in NannyML): if scores are calibrated, a lead scored p
/// converts with probability p, so every confusion-matrix cell has an expected value — at threshold t,
/// E[TP] = Σ_{s≥t} p, E[FP] = Σ_{s≥t} (1 − p), E[FN] = Σ_{s&lt;t} p — and the metrics follow from those. The
/// expected ROC curve has TPR = E[TP]/Σp and FPR = E[FP]/Σ(1 − p) at every distinct score; its trapezoid area is
/// the estimated AUC. Valid only while calibration holds (no concept drift); watch drift alongside.
/// </summary>
public static class ConfidenceBasedPerformanceEstimation
{
    /// <summary>Estimates ROC AUC, precision, recall and F1 for a window from calibrated scores alone.</summary>
    public static PerformanceMetrics Estimate(ReadOnlySpan<double> calibratedScores, double threshold)
    {
        SampleGuard.NotEmpty(calibratedScores.Length, nameof(calibratedScores));
        SampleGuard.Probabilities(calibratedScores, nameof(calibratedScores));
        var sorted = calibratedScores.ToArray();
        Array.Sort(sorted);
        var expectedPositives = new CompensatedSum(0);
        foreach (var p in sorted)
        {
            expectedPositives.Add(p);
        }

        var positives = expectedPositives.Value;
        var negatives = sorted.Length - positives;
        if (positives <= 0 || negatives <= 0)
        {
            throw new ArgumentException("every score is 0 or every score is 1; the expected ROC curve needs both outcomes to be possible", nameof(calibratedScores));
        }

        var auc = ExpectedAuc(sorted, positives, negatives);

        // Expected confusion counts at the threshold.
        double tp = 0, fp = 0;
        foreach (var p in sorted)
        {
            if (p >= threshold)
            {
                tp += p;
                fp += 1 - p;
            }
        }

        var precision = tp + fp > 0 ? tp / (tp + fp) : 0;
        var recall = tp / positives;
        var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new PerformanceMetrics(MetricsSource.Estimated, sorted.Length, threshold, auc, precision, recall, f1, positives / sorted.Length);
    }

    /// <summary>Trapezoid area under the expected ROC curve, walking thresholds from the highest score down; tied scores move together.</summary>
    private static double ExpectedAuc(double[] ascending, double positives, double negatives)
    {
        double tp = 0, fp = 0, area = 0;
        var i = ascending.Length - 1;
        while (i >= 0)
        {
            var s = ascending[i];
            double groupTp = 0, groupFp = 0;
            while (i >= 0 && ascending[i] == s)
            {
                groupTp += ascending[i];
                groupFp += 1 - ascending[i];
                i--;
            }

            // Trapezoid between the previous point and this one, in unnormalised units.
            area += groupFp * (tp + (groupTp / 2));
            tp += groupTp;
            fp += groupFp;
        }

        return area / (positives * negatives);
    }
}
