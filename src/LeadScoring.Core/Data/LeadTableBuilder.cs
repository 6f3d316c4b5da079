using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Data;

/// <summary>Whether a data file must, may or must not be read for its label column.</summary>
public enum LabelUse
{
    /// <summary>Training data: every row needs a binary label.</summary>
    Required,

    /// <summary>Scoring input: the label is not read, even when the file has it.</summary>
    Ignored,
}

/// <summary>
/// Turns raw rows (header + text fields) into a <see cref="LeadTable"/>, checking each value against the
/// schema. The first bad value stops the build with a <see cref="LeadDataException"/> naming column and row.
/// </summary>
public sealed class LeadTableBuilder
{
    private readonly LeadSchema _schema;
    private readonly LabelUse _labelUse;
    private readonly int[] _featureColumn;
    private readonly List<double>?[] _numeric;
    private readonly double[] _parsed;
    private readonly List<string?>?[] _categorical;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>[] _categories;
    private readonly int _idColumn = -1;
    private readonly int _timestampColumn = -1;
    private readonly int _labelColumn = -1;
    private readonly int _revenueColumn = -1;
    private readonly List<string?>? _ids;
    private readonly List<DateTimeOffset>? _timestamps;
    private readonly List<bool>? _labels;
    private readonly List<double>? _revenue;
    private string? _otherLabelValue;

    /// <summary>Maps the schema onto <paramref name="header"/>; a column the schema names but the header lacks is an error.</summary>
    public LeadTableBuilder(LeadSchema schema, IReadOnlyList<string> header, LabelUse labelUse)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(header);
        _schema = schema;
        _labelUse = labelUse;
        var columns = new HeaderColumns(header);
        int Find(string column, string role) => columns.Require(column, role, schema);

        var n = schema.Features.Count;
        _featureColumn = new int[n];
        _numeric = new List<double>?[n];
        _parsed = new double[n];
        _categorical = new List<string?>?[n];
        _categories = new Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>[n];
        for (var f = 0; f < n; f++)
        {
            var spec = schema.Features[f];
            _featureColumn[f] = Find(spec.Name, $"a {SchemaJson.TypeName(spec.Type)} feature");
            if (spec.Type == FeatureType.Categorical)
            {
                _categorical[f] = [];
                _categories[f] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
            }
            else
            {
                _numeric[f] = [];
            }
        }

        if (schema.Id is not null)
        {
            _idColumn = Find(schema.Id, "the id");
            _ids = [];
        }

        if (schema.Timestamp is not null)
        {
            _timestampColumn = Find(schema.Timestamp, "the timestamp");
            _timestamps = [];
        }

        if (labelUse == LabelUse.Required)
        {
            _labelColumn = Find(schema.Label, "the label");
            _labels = [];
        }

        if (schema.Revenue is not null && columns.IndexOf(schema.Revenue) is >= 0 and var revenueColumn)
        {
            _revenueColumn = revenueColumn;
            _revenue = [];
        }
    }

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Parses one row; <paramref name="rowNumber"/> (1-based, header excluded) is used in error messages.</summary>
    public void Add<TRow>(scoped in TRow row, long rowNumber)
        where TRow : IRawFields, allows ref struct
    {
        // Parse everything first (numbers into _parsed), then append, so a bad row leaves the builder unchanged.
        for (var f = 0; f < _featureColumn.Length; f++)
        {
            var spec = _schema.Features[f];
            var raw = row[_featureColumn[f]];
            if (spec.Type == FeatureType.Categorical)
            {
                continue;
            }

            if (IsMissing(raw))
            {
                _parsed[f] = double.NaN;
            }
            else if (spec.Type == FeatureType.Numeric)
            {
                _parsed[f] = FieldParser.TryParseNumber(raw, out var number) ? number : throw Bad(spec.Name, rowNumber, raw, "is not a finite number");
            }
            else
            {
                _parsed[f] = FieldParser.TryParseBoolean(raw, out var flag) ? (flag ? 1 : 0) : throw Bad(spec.Name, rowNumber, raw, "is not a boolean (yes/no, true/false, 1/0)");
            }
        }

        var timestamp = default(DateTimeOffset);
        if (_timestampColumn >= 0 && !FieldParser.TryParseTimestamp(row[_timestampColumn], out timestamp))
        {
            throw Bad(_schema.Timestamp!, rowNumber, row[_timestampColumn], "is not a date/time (use ISO 8601, e.g. 2026-03-01T09:30:00Z)");
        }

        var label = false;
        if (_labelColumn >= 0)
        {
            label = ParseLabel(row[_labelColumn], rowNumber);
        }

        var revenue = 0.0;
        if (_revenueColumn >= 0)
        {
            var raw = row[_revenueColumn];
            if (!IsMissing(raw) && !FieldParser.TryParseNumber(raw, out revenue))
            {
                throw Bad(_schema.Revenue!, rowNumber, raw, "is not a finite number");
            }
        }

        for (var f = 0; f < _featureColumn.Length; f++)
        {
            if (_numeric[f] is { } numbers)
            {
                numbers.Add(_parsed[f]);
            }
            else
            {
                var raw = row[_featureColumn[f]];
                _categorical[f]!.Add(IsMissing(raw) ? null : Intern(f, raw.Trim()));
            }
        }

        if (_ids is not null)
        {
            var raw = row[_idColumn];
            _ids.Add(IsMissing(raw) ? null : raw.Trim().ToString());
        }

        _timestamps?.Add(timestamp);
        _labels?.Add(label);
        _revenue?.Add(revenue);
        Count++;
    }

    /// <summary>The table of every row added. A training table must hold both outcomes.</summary>
    public LeadTable Build()
    {
        if (_labels is not null && Count > 0 && (_labels.TrueForAll(l => l) || _labels.TrueForAll(l => !l)))
        {
            var only = _labels[0] ? "converted" : "not converted";
            throw new LeadDataException($"column '{_schema.Label}' (the label) has only one outcome ({only}) in {Count} rows; training needs both");
        }

        var columns = new FeatureColumn[_featureColumn.Length];
        for (var f = 0; f < columns.Length; f++)
        {
            var spec = _schema.Features[f];
            columns[f] = spec.Type == FeatureType.Categorical
                ? new CategoricalColumn(spec, [.. _categorical[f]!])
                : new NumericColumn(spec, [.. _numeric[f]!]);
        }

        return new LeadTable(_schema, columns, _ids?.ToArray(), _timestamps?.ToArray(), _labels?.ToArray(), _revenue?.ToArray());
    }

    private bool IsMissing(ReadOnlySpan<char> raw) => _schema.IsMissing(raw);

    private bool ParseLabel(ReadOnlySpan<char> raw, long rowNumber)
    {
        var text = raw.Trim().ToString();
        if (text.Length == 0 || _schema.IsMissing(text))
        {
            throw Bad(_schema.Label, rowNumber, raw, "is missing; every training row needs an outcome");
        }

        if (_schema.IsPositive(text))
        {
            return true;
        }

        if (_schema.Negative is not null)
        {
            return _schema.IsNegative(text)
                ? false
                : throw Bad(_schema.Label, rowNumber, raw, $"is neither a positive ({string.Join(", ", _schema.Positive)}) nor a negative ({string.Join(", ", _schema.Negative)}) label value");
        }

        _otherLabelValue ??= text;
        if (!string.Equals(_otherLabelValue, text, StringComparison.OrdinalIgnoreCase))
        {
            throw new LeadDataException(
                $"column '{_schema.Label}' (the label) is not binary: row {rowNumber} has '{text}' besides '{_otherLabelValue}' and the positive values ({string.Join(", ", _schema.Positive)})");
        }

        return false;
    }

    private string Intern(int feature, ReadOnlySpan<char> value)
    {
        var lookup = _categories[feature];
        if (lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var text = value.ToString();
        lookup.Dictionary[text] = text;
        return text;
    }

    private static LeadDataException Bad(string column, long rowNumber, ReadOnlySpan<char> raw, string problem)
    {
        var shown = raw.Length > 40 ? string.Concat(raw[..40], "…") : raw.ToString();
        return new LeadDataException($"row {rowNumber}, column '{column}': value '{shown}' {problem}");
    }
}
