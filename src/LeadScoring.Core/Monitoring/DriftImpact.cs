using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>How much one drifted feature is estimated to move the window's performance.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="EstimatedAuc">The window's CBPE ROC AUC as it is.</param>
/// <param name="ReferenceLikeAuc">The CBPE ROC AUC with the window reweighted so this feature is distributed as in the reference.</param>
/// <param name="AucChange">EstimatedAuc − ReferenceLikeAuc: what this feature's drift alone is estimated to have cost (negative) or gained.</param>
/// <param name="EstimatedPositiveRate">Expected conversion rate of the window (mean score).</param>
/// <param name="ReferenceLikePositiveRate">Expected conversion rate after the reweighting.</param>
public sealed record FeatureImpact(
    string Feature,
    double EstimatedAuc,
    double ReferenceLikeAuc,
    double AucChange,
    double EstimatedPositiveRate,
    double ReferenceLikePositiveRate);

/// <summary>
/// Ranks drifted features by their estimated effect on performance. Core has no model to rescore leads with
/// reference-like values, so the window is instead made reference-like by importance weights: a lead whose value
/// falls in bin b weighs p_ref(b) / p_window(b) (the drift bins; floored proportions, missing values weigh 1), and
/// the CBPE estimate is recomputed with the weights. The change is the feature's share of the estimated
/// performance change — like CBPE itself it assumes calibrated scores, and it sees only what the feature's bins
/// can (not interactions between drifted features). Weights can only re-mix values the window has: a feature
/// collapsed into one bin (every value 0 after a pipeline break) gets equal weights and shows no impact — the
/// quality check is what catches that. O(n) per feature after one sort of the scores.
/// </summary>
public static class DriftImpact
{
    /// <summary>Impact of each drifted feature, largest absolute AUC change first; empty when CBPE cannot run.</summary>
    public static IReadOnlyList<FeatureImpact> Rank(
        ReferenceProfile reference, MonitoringWindowData window, IReadOnlyList<FeatureDriftVerdict> drift, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(drift);
        ArgumentNullException.ThrowIfNull(options);
        var drifted = drift.Where(d => d.Verdict == DriftVerdict.Drifted).ToList();
        if (drifted.Count == 0 || window.Count == 0)
        {
            return [];
        }

        // One descending sort of the scores serves every feature.
        var keys = new double[window.Count];
        var order = new int[window.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = -window.Scores[i];
            order[i] = i;
        }

        Array.Sort(keys, order);
        var unweighted = WeightedCbpe(window.Scores, order, null);
        if (unweighted is null)
        {
            return [];
        }

        var impacts = new List<FeatureImpact>();
        foreach (var d in drifted)
        {
            var weights = Weights(reference, window, d.Type, d.Feature, options.Drift.ProportionFloor);
            if (weights is null || WeightedCbpe(window.Scores, order, weights) is not { } reweighted)
            {
                continue;
            }

            impacts.Add(new FeatureImpact(d.Feature, unweighted.Value.Auc, reweighted.Auc, unweighted.Value.Auc - reweighted.Auc,
                unweighted.Value.Rate, reweighted.Rate));
        }

        return impacts.OrderByDescending(i => Math.Abs(i.AucChange)).ThenBy(i => i.Feature, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// CBPE's expected ROC AUC and positive rate with per-lead weights (null = all 1): the trapezoid walk of
    /// <see cref="ConfidenceBasedPerformanceEstimation"/> with each lead counting w·p expected positives and w·(1 − p) negatives.
    /// </summary>
    internal static (double Auc, double Rate)? WeightedCbpe(double[] scores, int[] descending, double[]? weights)
    {
        double tp = 0, fp = 0, area = 0, total = 0;
        var k = 0;
        while (k < descending.Length)
        {
            var s = scores[descending[k]];
            double groupTp = 0, groupFp = 0;
            while (k < descending.Length && scores[descending[k]] == s)
            {
                var w = weights?[descending[k]] ?? 1;
                groupTp += w * s;
                groupFp += w * (1 - s);
                total += w;
                k++;
            }

            area += groupFp * (tp + (groupTp / 2));
            tp += groupTp;
            fp += groupFp;
        }

        return tp > 0 && fp > 0 ? (area / (tp * fp), tp / total) : null;
    }

    private static double[]? Weights(ReferenceProfile reference, MonitoringWindowData window, FeatureType type, string feature, double floor)
    {
        if (type == FeatureType.Categorical)
        {
            return reference.Categorical.FirstOrDefault(p => p.Name == feature) is { } profile
                ? CategoryWeights(profile, window.Categorical[feature], floor) : null;
        }

        var column = window.Numeric[feature];
        if (type == FeatureType.Boolean)
        {
            if (reference.Categorical.FirstOrDefault(p => p.Name == feature) is not { } flags)
            {
                return null;
            }

            var yes = flags.Categories.Where(c => string.Equals(c.Category, "true", StringComparison.OrdinalIgnoreCase)).Sum(c => c.Count);
            return BinWeights(column, v => v != 0 ? 1 : 0, [flags.Count - yes, yes], floor);
        }

        if (reference.Numeric.FirstOrDefault(p => p.Name == feature) is not { } numeric || numeric.BinCounts.Count != numeric.BinEdges.Count + 1)
        {
            return null;
        }

        var edges = numeric.BinEdges.ToArray();
        return BinWeights(column, v => Quantiles.BinOf(v, edges), numeric.BinCounts.ToArray(), floor);
    }

    private static double[] CategoryWeights(CategoricalProfile profile, string?[] column, double floor)
    {
        // Bins: the reference's categories (case-insensitive, as profiled) and one for categories it never saw.
        var bin = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var referenceCounts = new long[profile.Categories.Count + 1];
        foreach (var c in profile.Categories)
        {
            bin.TryAdd(c.Category, bin.Count);
            referenceCounts[bin[c.Category]] += c.Count;
        }

        var unseen = referenceCounts.Length - 1;
        var bins = new int[column.Length];
        for (var i = 0; i < column.Length; i++)
        {
            bins[i] = column[i] is { } v ? bin.GetValueOrDefault(v, unseen) : -1;
        }

        return FromBins(bins, referenceCounts, floor);
    }

    private static double[] BinWeights(double[] column, Func<double, int> binOf, long[] referenceCounts, double floor)
    {
        var bins = new int[column.Length];
        for (var i = 0; i < column.Length; i++)
        {
            bins[i] = double.IsFinite(column[i]) ? binOf(column[i]) : -1;
        }

        return FromBins(bins, referenceCounts, floor);
    }

    /// <summary>Per lead p_ref(bin) / p_window(bin) on floored proportions; bin −1 (missing) weighs 1.</summary>
    private static double[] FromBins(int[] bins, long[] referenceCounts, double floor)
    {
        var currentCounts = new long[referenceCounts.Length];
        foreach (var b in bins)
        {
            if (b >= 0)
            {
                currentCounts[b]++;
            }
        }

        var referenceShare = Divergence.Proportions(referenceCounts, floor);
        var currentShare = Divergence.Proportions(currentCounts, floor);
        var weights = new double[bins.Length];
        for (var i = 0; i < bins.Length; i++)
        {
            weights[i] = bins[i] < 0 ? 1 : referenceShare[bins[i]] / currentShare[bins[i]];
        }

        return weights;
    }
}
