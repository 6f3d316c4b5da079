using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Collects logged leads column by column into a <see cref="LeadTable"/>. Categories are trimmed, missing-value
/// placeholders become missing, and case variants share the first spelling seen — exactly what
/// <see cref="LeadTableBuilder"/> does when it reads a file, so a table written as a snapshot reads back value for
/// value (the feature encoder ignores case, so nothing the model sees changes).
/// </summary>
internal sealed class LoggedLeadColumns
{
    private readonly LeadSchema _schema;
    private readonly List<double>?[] _numeric;
    private readonly List<string?>?[] _categorical;
    private readonly Dictionary<string, string>[] _spellings;
    private readonly List<string?> _ids = [];
    private readonly List<DateTimeOffset> _timestamps = [];
    private readonly List<bool> _labels = [];
    private readonly List<double>? _revenue;

    public LoggedLeadColumns(LeadSchema schema)
    {
        _schema = schema;
        var n = schema.Features.Count;
        _numeric = new List<double>?[n];
        _categorical = new List<string?>?[n];
        _spellings = new Dictionary<string, string>[n];
        for (var f = 0; f < n; f++)
        {
            if (schema.Features[f].Type == FeatureType.Categorical)
            {
                _categorical[f] = [];
                _spellings[f] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                _numeric[f] = [];
            }
        }

        _revenue = schema.Revenue is null ? null : [];
    }

    public int Count => _labels.Count;

    public int Positives { get; private set; }

    /// <summary>Adds one lead; <paramref name="revenue"/> is the outcome's (a lead that did not convert, or without a revenue, counts 0).</summary>
    public void Add(string leadId, DateTimeOffset firstScoredAt, bool converted, double? revenue, LeadFeatures features)
    {
        for (var f = 0; f < _numeric.Length; f++)
        {
            if (_numeric[f] is { } numbers)
            {
                numbers.Add(features.Numbers[f]);
            }
            else
            {
                _categorical[f]!.Add(Category(f, features.Categories[f]));
            }
        }

        _ids.Add(leadId);
        _timestamps.Add(firstScoredAt);
        _labels.Add(converted);
        _revenue?.Add(converted ? revenue ?? 0 : 0);
        Positives += converted ? 1 : 0;
    }

    public LeadTable Build()
    {
        var columns = new FeatureColumn[_numeric.Length];
        for (var f = 0; f < columns.Length; f++)
        {
            var spec = _schema.Features[f];
            columns[f] = _numeric[f] is { } numbers ? new NumericColumn(spec, [.. numbers]) : new CategoricalColumn(spec, [.. _categorical[f]!]);
        }

        return new LeadTable(_schema, columns, [.. _ids], [.. _timestamps], [.. _labels], _revenue?.ToArray());
    }

    private string? Category(int feature, string? value)
    {
        if (value is null || _schema.IsMissing(value))
        {
            return null;
        }

        var text = value.Trim();
        var spellings = _spellings[feature];
        if (spellings.TryGetValue(text, out var first))
        {
            return first;
        }

        spellings[text] = text;
        return text;
    }
}
