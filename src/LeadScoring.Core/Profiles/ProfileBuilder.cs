using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Profiles;

/// <summary>Builds <see cref="ReferenceProfile"/>s from tables of leads and their scores.</summary>
public static class ProfileBuilder
{
    /// <summary>Profiles every feature of <paramref name="table"/>, and the <paramref name="scores"/> when given.</summary>
    public static ReferenceProfile Build(LeadTable table, ReadOnlySpan<double> scores, int binCount = 10)
    {
        ArgumentNullException.ThrowIfNull(table);
        var numeric = new List<NumericProfile>();
        var categorical = new List<CategoricalProfile>();
        foreach (var column in table.Columns)
        {
            switch (column)
            {
                case NumericColumn n when n.Spec.Type == FeatureType.Boolean:
                    categorical.Add(OfBoolean(n));
                    break;
                case NumericColumn n:
                    numeric.Add(OfNumbers(n.Spec.Name, n.Values, binCount));
                    break;
                case CategoricalColumn c:
                    categorical.Add(OfCategories(c));
                    break;
            }
        }

        double? positiveRate = table.Labels is { Length: > 0 } labels ? labels.Count(l => l) / (double)labels.Length : null;
        var score = scores.IsEmpty ? null : OfNumbers("score", scores, binCount);
        return new ReferenceProfile(table.Count, positiveRate, numeric, categorical, score);
    }

    /// <summary>Profiles one numeric sample; NaN values count as missing.</summary>
    public static NumericProfile OfNumbers(string name, ReadOnlySpan<double> values, int binCount = 10)
    {
        var present = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                present.Add(v);
            }
        }

        var missing = values.Length - present.Count;
        if (present.Count == 0)
        {
            return new NumericProfile(name, 0, missing, double.NaN, double.NaN, double.NaN, double.NaN, [], [0], []);
        }

        var sorted = present.ToArray();
        Array.Sort(sorted);
        var mean = sorted.Average();
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        var edges = Quantiles.BinEdges(sorted, binCount);
        var counts = Quantiles.CountInBins(sorted, edges);
        var percentiles = Enumerable.Range(0, 101).Select(p => Quantiles.OfSorted(sorted, p / 100.0)).ToArray();
        return new NumericProfile(name, sorted.Length, missing, mean, Math.Sqrt(variance), sorted[0], sorted[^1], edges, counts, percentiles);
    }

    private static CategoricalProfile OfCategories(CategoricalColumn column)
    {
        var counts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long missing = 0;
        foreach (var v in column.Values)
        {
            if (v is null)
            {
                missing++;
            }
            else
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }

        var categories = counts
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new CategoryCount(kv.Key, kv.Value))
            .ToList();
        return new CategoricalProfile(column.Spec.Name, FeatureType.Categorical, column.Values.Length - missing, missing, categories);
    }

    private static CategoricalProfile OfBoolean(NumericColumn column)
    {
        long yes = 0, no = 0;
        foreach (var v in column.Values)
        {
            if (v == 1)
            {
                yes++;
            }
            else if (v == 0)
            {
                no++;
            }
        }

        var categories = new[] { new CategoryCount("true", yes), new CategoryCount("false", no) }
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count)
            .ToList();
        return new CategoricalProfile(column.Spec.Name, FeatureType.Boolean, yes + no, column.Values.Length - yes - no, categories);
    }
}
