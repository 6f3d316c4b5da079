using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Monitoring;

/// <summary>
/// One monitoring window in columns (one array per field, one entry per scored lead), so a million rows are
/// analysed without a million objects. Numeric and boolean features are <c>double[]</c> (NaN = missing; booleans
/// 0/1, as the lead table holds them), categorical features <c>string?[]</c> (null = missing).
/// </summary>
public sealed class MonitoringWindowData
{
    /// <summary>Checks that every column has one entry per lead and every schema feature has a column of its kind.</summary>
    /// <param name="schema">The model's schema: which features exist and their types.</param>
    /// <param name="numeric">Numeric and boolean features' columns by feature name.</param>
    /// <param name="categorical">Categorical features' columns by feature name.</param>
    /// <param name="scores">Each lead's (calibrated) score in [0, 1].</param>
    /// <param name="bands">Each lead's score band.</param>
    /// <param name="converted">Each lead's outcome; null while no outcome is known.</param>
    /// <param name="revenue">Revenue of a converted lead; null when none was recorded.</param>
    /// <param name="scoredAt">When each lead was scored, in UTC ticks.</param>
    public MonitoringWindowData(
        LeadSchema schema,
        IReadOnlyDictionary<string, double[]> numeric,
        IReadOnlyDictionary<string, string?[]> categorical,
        double[] scores,
        string[] bands,
        bool?[] converted,
        double?[] revenue,
        long[] scoredAt)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(numeric);
        ArgumentNullException.ThrowIfNull(categorical);
        ArgumentNullException.ThrowIfNull(scores);
        var n = scores.Length;
        SameLength(bands, n, nameof(bands));
        SameLength(converted, n, nameof(converted));
        SameLength(revenue, n, nameof(revenue));
        SameLength(scoredAt, n, nameof(scoredAt));
        foreach (var feature in schema.Features)
        {
            if (feature.Type == FeatureType.Categorical)
            {
                SameLength(categorical.GetValueOrDefault(feature.Name), n, $"categorical[{feature.Name}]");
            }
            else
            {
                SameLength(numeric.GetValueOrDefault(feature.Name), n, $"numeric[{feature.Name}]");
            }
        }

        Schema = schema;
        Numeric = numeric;
        Categorical = categorical;
        Scores = scores;
        Bands = bands;
        Converted = converted;
        Revenue = revenue;
        ScoredAt = scoredAt;
    }

    /// <summary>The model's schema.</summary>
    public LeadSchema Schema { get; }

    /// <summary>Numeric and boolean columns by feature name (NaN = missing).</summary>
    public IReadOnlyDictionary<string, double[]> Numeric { get; }

    /// <summary>Categorical columns by feature name (null = missing).</summary>
    public IReadOnlyDictionary<string, string?[]> Categorical { get; }

    /// <summary>Scores.</summary>
    public double[] Scores { get; }

    /// <summary>Score bands.</summary>
    public string[] Bands { get; }

    /// <summary>Outcomes (null = not known yet).</summary>
    public bool?[] Converted { get; }

    /// <summary>Revenue (null = none recorded).</summary>
    public double?[] Revenue { get; }

    /// <summary>Scoring times, UTC ticks.</summary>
    public long[] ScoredAt { get; }

    /// <summary>Leads in the window.</summary>
    public int Count => Scores.Length;

    private static void SameLength<T>(T[]? column, int count, string name)
    {
        if (column is null)
        {
            throw new ArgumentException($"{name} is missing; the window needs one column per schema feature", name);
        }

        if (column.Length != count)
        {
            throw new ArgumentException($"{name} has {column.Length} entries but the window has {count} scores", name);
        }
    }
}
