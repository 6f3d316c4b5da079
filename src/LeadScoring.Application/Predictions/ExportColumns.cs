namespace LeadScoring.Application.Predictions;

/// <summary>The type of an export column; every column's values are a nullable array of it.</summary>
public enum ExportKind
{
    /// <summary>Text (<c>string?[]</c>).</summary>
    Text,

    /// <summary>A 32-bit whole number (<c>int?[]</c>).</summary>
    WholeNumber,

    /// <summary>A 64-bit whole number (<c>long?[]</c>).</summary>
    LargeWholeNumber,

    /// <summary>A double (<c>double?[]</c>).</summary>
    Number,

    /// <summary>true / false (<c>bool?[]</c>).</summary>
    Boolean,

    /// <summary>A UTC time, to the microsecond (<c>DateTimeOffset?[]</c>).</summary>
    Timestamp,
}

/// <summary>One column of an export file.</summary>
/// <param name="Name">The header.</param>
/// <param name="Kind">The value type.</param>
/// <param name="Nullable">Whether a value may be missing.</param>
public sealed record ExportColumn(string Name, ExportKind Kind, bool Nullable);

/// <summary>The columns of a predictions export: the log's own, then one per feature, then the joined outcome.</summary>
public static class ExportColumns
{
    /// <summary>The prediction's columns, in file order, before the features.</summary>
    public static IReadOnlyList<ExportColumn> Prediction { get; } =
    [
        new("request_id", ExportKind.Text, false),
        new("lead_id", ExportKind.Text, false),
        new("scored_at", ExportKind.Timestamp, false),
        new("model_name", ExportKind.Text, false),
        new("model_version", ExportKind.WholeNumber, false),
        new("arm", ExportKind.Text, false),
        new("score", ExportKind.Number, false),
        new("band", ExportKind.Text, false),
        new("latency_us", ExportKind.LargeWholeNumber, false),
        new("shadow_model_version", ExportKind.WholeNumber, true),
        new("shadow_score", ExportKind.Number, true),
    ];

    /// <summary>The outcome known at export time, after the features (null when none is known).</summary>
    public static IReadOnlyList<ExportColumn> Outcome { get; } =
    [
        new("outcome_converted", ExportKind.Boolean, true),
        new("outcome_revenue", ExportKind.Number, true),
        new("outcome_occurred_at", ExportKind.Timestamp, true),
    ];

    /// <summary>
    /// The header of feature <paramref name="feature"/>: its own name, unless that is one of the fixed columns
    /// (or another feature's header), then prefixed with <c>feature_</c> until it is unique.
    /// </summary>
    public static string FeatureHeader(string feature, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(taken);
        var header = feature;
        while (!taken.Add(header))
        {
            header = "feature_" + header;
        }

        return header;
    }

    /// <summary>An empty array of <paramref name="count"/> values for <paramref name="kind"/>.</summary>
    public static Array NewValues(ExportKind kind, int count) => kind switch
    {
        ExportKind.Text => new string?[count],
        ExportKind.WholeNumber => new int?[count],
        ExportKind.LargeWholeNumber => new long?[count],
        ExportKind.Number => new double?[count],
        ExportKind.Boolean => new bool?[count],
        ExportKind.Timestamp => new DateTimeOffset?[count],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
