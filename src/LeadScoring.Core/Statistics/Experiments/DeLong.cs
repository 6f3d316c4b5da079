namespace LeadScoring.Core.Statistics;

/// <summary>DeLong's test for two correlated ROC AUCs measured on the same leads.</summary>
/// <param name="AucChampion">AUC of the champion's scores.</param>
/// <param name="AucChallenger">AUC of the challenger's scores.</param>
/// <param name="Difference">AucChampion − AucChallenger.</param>
/// <param name="StandardError">DeLong's standard error of the difference (accounts for the shared leads).</param>
/// <param name="Z">Difference / StandardError (0 when the standard error is 0).</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="DifferenceLower">Lower end of the 95 % confidence interval of the difference.</param>
/// <param name="DifferenceUpper">Upper end of the 95 % confidence interval of the difference.</param>
public sealed record DeLongResult(
    double AucChampion,
    double AucChallenger,
    double Difference,
    double StandardError,
    double Z,
    double PValue,
    double DifferenceLower,
    double DifferenceUpper);

/// <summary>
/// DeLong, DeLong and Clarke-Pearson (1988) with the fast O(n log n) algorithm of Sun and Xu (2014): mid-ranks
/// give each lead's structural component, whose covariances give the variance of the AUC difference. Ties
/// count one half, exactly as in the AUC itself.
/// </summary>
public static class DeLong
{
    /// <summary>Compares the champion's and the challenger's scores on the same labelled leads.</summary>
    public static DeLongResult Compare(ReadOnlySpan<bool> labels, ReadOnlySpan<double> championScores, ReadOnlySpan<double> challengerScores)
    {
        SampleGuard.SameLength(labels.Length, championScores.Length, nameof(labels), nameof(championScores));
        SampleGuard.SameLength(labels.Length, challengerScores.Length, nameof(labels), nameof(challengerScores));
        SampleGuard.Finite(championScores, nameof(championScores));
        SampleGuard.Finite(challengerScores, nameof(challengerScores));
        var m = 0;
        foreach (var l in labels)
        {
            m += l ? 1 : 0;
        }

        var n = labels.Length - m;
        if (m < 2 || n < 2)
        {
            throw new ArgumentException($"the labels hold {m} converted and {n} non-converted leads; DeLong's variance needs at least two of each");
        }

        var (aucA, v10A, v01A) = Components(labels, championScores, m, n);
        var (aucB, v10B, v01B) = Components(labels, challengerScores, m, n);

        // Var(AUC_A − AUC_B) = [S10_AA + S10_BB − 2 S10_AB]/m + [S01_AA + S01_BB − 2 S01_AB]/n.
        var variance = (DifferenceVariance(v10A, v10B) / m) + (DifferenceVariance(v01A, v01B) / n);
        var se = Math.Sqrt(Math.Max(variance, 0));
        var difference = aucA - aucB;
        var z = se > 0 ? difference / se : 0.0;
        var half = NormalTail.Quantile(0.975) * se;
        return new DeLongResult(aucA, aucB, difference, se, z, se > 0 ? NormalTail.TwoSided(z) : 1.0, difference - half, difference + half);
    }

    /// <summary>AUC and the structural components V10 (per positive) and V01 (per negative) of one scorer.</summary>
    private static (double Auc, double[] V10, double[] V01) Components(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, int m, int n)
    {
        var positives = new double[m];
        var negatives = new double[n];
        int p = 0, q = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i])
            {
                positives[p++] = scores[i];
            }
            else
            {
                negatives[q++] = scores[i];
            }
        }

        var all = new double[m + n];
        positives.CopyTo(all, 0);
        negatives.CopyTo(all, m);
        var rankAll = MidRanks(all);
        var rankPositives = MidRanks(positives);
        var rankNegatives = MidRanks(negatives);

        var v10 = new double[m];
        var rankSum = 0.0;
        for (var i = 0; i < m; i++)
        {
            // Share of negatives the i-th positive outscores (ties one half).
            v10[i] = (rankAll[i] - rankPositives[i]) / n;
            rankSum += rankAll[i];
        }

        var v01 = new double[n];
        for (var j = 0; j < n; j++)
        {
            // Share of positives that outscore the j-th negative.
            v01[j] = 1.0 - ((rankAll[m + j] - rankNegatives[j]) / m);
        }

        var auc = (rankSum - ((double)m * (m + 1) / 2)) / ((double)m * n);
        return (auc, v10, v01);
    }

    /// <summary>Sample variance (ddof = 1) of a − b: S_aa + S_bb − 2 S_ab.</summary>
    private static double DifferenceVariance(double[] a, double[] b)
    {
        var meanDiff = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            meanDiff += a[i] - b[i];
        }

        meanDiff /= a.Length;
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i] - meanDiff;
            sum += d * d;
        }

        return sum / (a.Length - 1);
    }

    /// <summary>1-based ranks with ties sharing their mean rank.</summary>
    internal static double[] MidRanks(double[] values)
    {
        var keys = (double[])values.Clone();
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        var start = 0;
        while (start < keys.Length)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var mid = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = mid;
            }

            start = end + 1;
        }

        return ranks;
    }
}
