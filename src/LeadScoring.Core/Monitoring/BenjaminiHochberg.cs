namespace LeadScoring.Core.Monitoring;

/// <summary>
/// Benjamini–Hochberg adjustment: with one test per feature, a window of 11 features at α = 0.05 would flag a
/// quiet feature in about 43 % of windows; adjusting the p-values bounds the expected share of false flags
/// among the flagged features (the false discovery rate) at α instead.
/// </summary>
public static class BenjaminiHochberg
{
    /// <summary>
    /// The adjusted p-values, in input order: p₍ᵢ₎·m/i for the i-th smallest, made monotone from the largest
    /// down and capped at 1 (R's <c>p.adjust(method = "BH")</c>).
    /// </summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            var p = pValues[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"pValues[{i}] is {p}; p-values lie in [0, 1]", nameof(pValues));
            }

            order[i] = i;
        }

        Array.Sort(order, (a, b) => pValues[a].CompareTo(pValues[b]));
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = order[rank - 1];
            running = Math.Min(running, pValues[index] * m / rank);
            adjusted[index] = running;
        }

        return adjusted;
    }
}
