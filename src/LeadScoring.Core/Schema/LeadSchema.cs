using System.Collections.Frozen;

namespace LeadScoring.Core.Schema;

/// <summary>
/// Describes a lead data set: which column identifies a lead, which holds the outcome, which are model
/// features (and of what type), and which are excluded. Any CSV or Parquet file with these columns can be
/// trained on and scored; nothing about a particular data set is hard-coded.
/// </summary>
public sealed class LeadSchema
{
    /// <summary>The missing-value placeholders used when a schema names none: the empty string and "Select".</summary>
    public static readonly IReadOnlyList<string> DefaultMissingValues = ["", "Select"];

    /// <summary>The label values that mean "converted" when a schema names none.</summary>
    public static readonly IReadOnlyList<string> DefaultPositiveValues = ["1", "yes", "true"];

    private readonly FrozenSet<string> _missing;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _missingBySpan;
    private readonly FrozenSet<string> _positive;
    private readonly FrozenSet<string>? _negative;
    private readonly FrozenDictionary<string, int> _featureIndex;

    /// <summary>Creates a schema; <see cref="SchemaJson"/> builds one from JSON and checks it.</summary>
    public LeadSchema(
        string name,
        string? id,
        string label,
        IReadOnlyList<string> positive,
        IReadOnlyList<string>? negative,
        string? timestamp,
        string? revenue,
        char? delimiter,
        IReadOnlyList<FeatureSpec> features,
        IReadOnlyList<ExcludedColumn> exclude,
        IReadOnlyList<string> missingValues)
    {
        Name = name;
        Id = id;
        Label = label;
        Positive = positive;
        Negative = negative;
        Timestamp = timestamp;
        Revenue = revenue;
        Delimiter = delimiter;
        Features = features;
        Exclude = exclude;
        MissingValues = missingValues;
        _missing = missingValues.Select(v => v.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _missingBySpan = _missing.GetAlternateLookup<ReadOnlySpan<char>>();
        _positive = positive.Select(v => v.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _negative = negative?.Select(v => v.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _featureIndex = features.Select((f, i) => (f.Name, i)).DistinctBy(f => f.Name).ToFrozenDictionary(f => f.Name, f => f.i, StringComparer.Ordinal);
    }

    /// <summary>A short name for the data set, e.g. "x-education".</summary>
    public string Name { get; }

    /// <summary>The column that identifies a lead, or null when the data has none.</summary>
    public string? Id { get; }

    /// <summary>The outcome column (converted or not).</summary>
    public string Label { get; }

    /// <summary>Label values meaning "converted" (compared case-insensitively, trimmed).</summary>
    public IReadOnlyList<string> Positive { get; }

    /// <summary>Label values meaning "not converted", or null to accept any single other value.</summary>
    public IReadOnlyList<string>? Negative { get; }

    /// <summary>The column holding when the lead arrived, or null; with it, validation splits by time.</summary>
    public string? Timestamp { get; }

    /// <summary>The column holding revenue of a converted lead, or null; used for business KPIs, never as a feature.</summary>
    public string? Revenue { get; }

    /// <summary>The field delimiter of CSV files, or null to detect it from the header line.</summary>
    public char? Delimiter { get; }

    /// <summary>The model's inputs, in a fixed order.</summary>
    public IReadOnlyList<FeatureSpec> Features { get; }

    /// <summary>Columns deliberately left out, with reasons.</summary>
    public IReadOnlyList<ExcludedColumn> Exclude { get; }

    /// <summary>Raw values that mean "missing" (compared case-insensitively after trimming).</summary>
    public IReadOnlyList<string> MissingValues { get; }

    /// <summary>True when <paramref name="raw"/> is null or one of the missing-value placeholders.</summary>
    public bool IsMissing(string? raw) => raw is null || _missing.Contains(raw.Trim());

    /// <summary>True when <paramref name="raw"/> is one of the missing-value placeholders (no allocation).</summary>
    public bool IsMissing(ReadOnlySpan<char> raw) => _missingBySpan.Contains(raw.Trim());

    /// <summary>True when <paramref name="raw"/> is one of the positive label values.</summary>
    public bool IsPositive(string raw) => _positive.Contains(raw.Trim());

    /// <summary>
    /// True when <paramref name="raw"/> is an allowed negative label value. Without an explicit negative list
    /// every non-positive value is accepted here; the reader then checks the label has at most two values.
    /// </summary>
    public bool IsNegative(string raw) => _negative is null ? !IsPositive(raw) : _negative.Contains(raw.Trim());

    /// <summary>The position of the feature with this name (exact match), or -1.</summary>
    public int IndexOf(string name) => _featureIndex.TryGetValue(name, out var index) ? index : -1;

    /// <summary>
    /// True when <paramref name="other"/> has the same features (names, types, order). Two schemas that agree
    /// here accept the same scoring requests.
    /// </summary>
    public bool HasSameFeatures(LeadSchema other) => Features.SequenceEqual(other.Features);
}
