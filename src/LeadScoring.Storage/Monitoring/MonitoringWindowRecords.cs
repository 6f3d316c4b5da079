namespace LeadScoring.Storage.Monitoring;

/// <summary>How a feature's values are read from the logged features JSON.</summary>
public enum MonitoringFeatureKind
{
    /// <summary>Numbers (booleans as 1 and 0); anything else, null or absent is NaN.</summary>
    Numeric,

    /// <summary>Strings (numbers and booleans as their JSON text); null or absent is null.</summary>
    Categorical,
}

/// <summary>A feature to read into a column.</summary>
public sealed record MonitoringFeature(string Name, MonitoringFeatureKind Kind);

/// <summary>
/// One monitoring window: the leads whose first score by <paramref name="ModelName"/> (optionally one
/// <paramref name="ModelVersion"/>, optionally one <paramref name="Arm"/>) falls in [<paramref name="ScoredFrom"/>,
/// <paramref name="ScoredTo"/>), each with the outcome known at <paramref name="KnownBy"/> (as
/// <see cref="Feedback.FeedbackReader"/> defines both), and <paramref name="Features"/> read into columns.
/// </summary>
public sealed record MonitoringWindowQuery(
    string ModelName,
    DateTimeOffset ScoredFrom,
    DateTimeOffset ScoredTo,
    DateTimeOffset KnownBy,
    IReadOnlyList<MonitoringFeature> Features,
    int? ModelVersion = null,
    string? Arm = null);

/// <summary>
/// A window read column by column, one entry per lead (its first score), ordered by that score's (scored_at, id).
/// Every array has <see cref="Count"/> entries.
/// </summary>
public sealed class MonitoringWindowColumns
{
    internal MonitoringWindowColumns(
        int count,
        IReadOnlyDictionary<string, double[]> numeric,
        IReadOnlyDictionary<string, string?[]> categorical,
        double[] scores,
        string[] bands,
        bool?[] converted,
        double?[] revenue,
        long[] scoredAtTicks,
        int[] modelVersions)
    {
        Count = count;
        Numeric = numeric;
        Categorical = categorical;
        Scores = scores;
        Bands = bands;
        Converted = converted;
        Revenue = revenue;
        ScoredAtTicks = scoredAtTicks;
        ModelVersions = modelVersions;
    }

    /// <summary>Leads in the window.</summary>
    public int Count { get; }

    /// <summary>Each numeric feature's values by name; NaN where missing (null, absent, or not a number).</summary>
    public IReadOnlyDictionary<string, double[]> Numeric { get; }

    /// <summary>Each categorical feature's values by name; null where missing.</summary>
    public IReadOnlyDictionary<string, string?[]> Categorical { get; }

    /// <summary>The first score of each lead.</summary>
    public double[] Scores { get; }

    /// <summary>Its band.</summary>
    public string[] Bands { get; }

    /// <summary>Whether the lead converted, as known at the query's KnownBy; null when no outcome was known then.</summary>
    public bool?[] Converted { get; }

    /// <summary>The known outcome's revenue; null without one (or without a revenue).</summary>
    public double?[] Revenue { get; }

    /// <summary>When the first score was made, as UTC ticks (microsecond precision).</summary>
    public long[] ScoredAtTicks { get; }

    /// <summary>The model version that made it.</summary>
    public int[] ModelVersions { get; }
}
