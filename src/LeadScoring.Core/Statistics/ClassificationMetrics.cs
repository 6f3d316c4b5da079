namespace LeadScoring.Core.Statistics;

/// <summary>One bin of a calibration table: leads whose score fell in [Lower, Upper).</summary>
/// <param name="Bin">Bin index, 0-based.</param>
/// <param name="Lower">Inclusive lower score bound.</param>
/// <param name="Upper">Exclusive upper score bound (the last bin includes 1.0).</param>
/// <param name="Count">Leads in the bin.</param>
/// <param name="MeanScore">Mean predicted probability in the bin.</param>
/// <param name="ObservedRate">Share of the bin's leads that converted.</param>
public sealed record CalibrationBin(int Bin, double Lower, double Upper, long Count, double MeanScore, double ObservedRate);

/// <summary>Counts and rates at one decision threshold (score ≥ threshold counts as predicted positive).</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="TruePositives">Converted leads at or above the threshold.</param>
/// <param name="FalsePositives">Non-converted leads at or above the threshold.</param>
/// <param name="FalseNegatives">Converted leads below the threshold.</param>
/// <param name="TrueNegatives">Non-converted leads below the threshold.</param>
public sealed record ThresholdMetrics(double Threshold, long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>TP / (TP + FP); 0 when nothing is predicted positive (scikit-learn's zero_division=0).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 0 when there are no positives.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>
/// Quality of probability scores against known outcomes, with scikit-learn's definitions
/// (roc_auc_score, average_precision_score, log_loss, brier_score_loss).
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The clipping scikit-learn's log_loss applies to scores: [ε, 1 − ε].</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Area under the ROC curve: the probability a random converted lead outscores a random non-converted
    /// one, ties counting one half (Mann–Whitney with mid-ranks, exact for tied scores).
    /// </summary>
    public static double RocAuc(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels, scores);
        var order = SortedOrder(scores);
        long positives = 0;
        var rankSum = 0.0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            // Ranks i+1 … j+1 share their mean.
            var midRank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    positives++;
                    rankSum += midRank;
                }
            }

            i = j + 1;
        }

        long negatives = labels.Length - positives;
        RequireBothClasses(positives, negatives);
        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision (area under the precision–recall curve as a step function): Σ (Rₙ − Rₙ₋₁)·Pₙ over
    /// distinct score thresholds, highest first.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels, scores);
        var order = SortedOrder(scores);
        long totalPositives = 0;
        foreach (var l in labels)
        {
            totalPositives += l ? 1 : 0;
        }

        RequireBothClasses(totalPositives, labels.Length - totalPositives);
        long tp = 0, seen = 0;
        var previousRecall = 0.0;
        var ap = 0.0;
        var i = order.Length - 1;
        while (i >= 0)
        {
            var j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]])
            {
                j--;
            }

            for (var k = j; k <= i; k++)
            {
                tp += labels[order[k]] ? 1 : 0;
                seen++;
            }

            var recall = (double)tp / totalPositives;
            var precision = (double)tp / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }

        return ap;
    }

    /// <summary>Mean negative log-likelihood, scores clipped to [1e−15, 1 − 1e−15].</summary>
    public static double LogLoss(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels, scores);
        SampleGuard.Probabilities(scores, nameof(scores));
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Math.Clamp(scores[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / scores.Length;
    }

    /// <summary>Brier score: the mean squared difference between score and outcome (0 or 1).</summary>
    public static double Brier(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels, scores);
        SampleGuard.Probabilities(scores, nameof(scores));
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var d = scores[i] - (labels[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / scores.Length;
    }

    /// <summary>Confusion counts, precision, recall and F1 when a score ≥ <paramref name="threshold"/> counts as positive.</summary>
    public static ThresholdMetrics AtThreshold(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, double threshold)
    {
        Check(labels, scores);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (labels[i])
            {
                if (predicted)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ThresholdMetrics(threshold, tp, fp, fn, tn);
    }

    /// <summary>The threshold (one of the scores) with the highest F1; ties go to the higher threshold.</summary>
    public static ThresholdMetrics BestF1(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores) =>
        Best(labels, scores, static (best, candidate) => candidate.F1 > best.F1);

    /// <summary>
    /// The lowest threshold whose precision reaches <paramref name="targetPrecision"/> (so recall is as high as
    /// the target allows), or null when no threshold reaches it.
    /// </summary>
    public static ThresholdMetrics? ForPrecision(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, double targetPrecision)
    {
        var best = Best(labels, scores, (best, candidate) =>
            candidate.Precision >= targetPrecision && (best.Precision < targetPrecision || candidate.Recall >= best.Recall));
        return best.Precision >= targetPrecision ? best : null;
    }

    /// <summary>
    /// Calibration table over <paramref name="binCount"/> equal-width bins [0, 1/n), …, [(n−1)/n, 1]; a score
    /// of exactly 1 falls in the last bin; empty bins are left out.
    /// </summary>
    public static IReadOnlyList<CalibrationBin> Calibration(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, int binCount = 10)
    {
        Check(labels, scores);
        SampleGuard.Probabilities(scores, nameof(scores));
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var counts = new long[binCount];
        var scoreSums = new double[binCount];
        var positives = new long[binCount];
        for (var i = 0; i < scores.Length; i++)
        {
            var bin = Math.Min((int)(scores[i] * binCount), binCount - 1);
            counts[bin]++;
            scoreSums[bin] += scores[i];
            positives[bin] += labels[i] ? 1 : 0;
        }

        var table = new List<CalibrationBin>();
        for (var b = 0; b < binCount; b++)
        {
            if (counts[b] > 0)
            {
                table.Add(new CalibrationBin(b, (double)b / binCount, (double)(b + 1) / binCount, counts[b], scoreSums[b] / counts[b], (double)positives[b] / counts[b]));
            }
        }

        return table;
    }

    /// <summary>Expected calibration error: Σ count/n · |mean score − observed rate| over the calibration bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<CalibrationBin> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var n = table.Sum(b => b.Count);
        return n == 0 ? 0 : table.Sum(b => (double)b.Count / n * Math.Abs(b.MeanScore - b.ObservedRate));
    }

    private static ThresholdMetrics Best(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, Func<ThresholdMetrics, ThresholdMetrics, bool> better)
    {
        Check(labels, scores);
        var order = SortedOrder(scores);
        long totalPositives = 0;
        foreach (var l in labels)
        {
            totalPositives += l ? 1 : 0;
        }

        long totalNegatives = labels.Length - totalPositives;
        long tp = 0, fp = 0;
        ThresholdMetrics? best = null;
        var i = order.Length - 1;
        while (i >= 0)
        {
            var j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]])
            {
                j--;
            }

            for (var k = j; k <= i; k++)
            {
                if (labels[order[k]])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            var candidate = new ThresholdMetrics(scores[order[i]], tp, fp, totalPositives - tp, totalNegatives - fp);
            if (best is null || better(best, candidate))
            {
                best = candidate;
            }

            i = j - 1;
        }

        return best!;
    }

    private static void Check(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        SampleGuard.SameLength(labels.Length, scores.Length, nameof(labels), nameof(scores));
        SampleGuard.NotEmpty(scores.Length, nameof(scores));
        SampleGuard.Finite(scores, nameof(scores));
    }

    private static void RequireBothClasses(long positives, long negatives)
    {
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"the labels hold {positives} converted and {negatives} non-converted leads; this metric needs both");
        }
    }

    private static int[] SortedOrder(ReadOnlySpan<double> scores)
    {
        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }
}
