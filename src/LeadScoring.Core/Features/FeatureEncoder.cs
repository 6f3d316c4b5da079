using System.Collections.Frozen;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Features;

/// <summary>
/// Turns a lead's feature values into the model's dense input vector: one slot per numeric or boolean
/// feature (NaN when missing, so the learner decides where missing values go), then for each categorical
/// feature a one-hot block with a slot per known category plus "(missing)" and "(other)". Categories are
/// matched case-insensitively; missing values get their own slot (missingness is information); categories
/// too rare in training and categories never seen share "(other)", so the model has learned what to do
/// with them.
/// </summary>
/// <remarks>
/// The vector is dense on purpose: LightGBM's trees, evaluated by ML.NET over a sparse one-hot vector, look
/// every split value up by binary search, which made scoring several times slower than over a dense vector.
/// </remarks>
public sealed class FeatureEncoder
{
    /// <summary>Categories seen fewer times than this in training are folded into "other".</summary>
    public const int DefaultMinCategoryCount = 5;

    /// <summary>The slot suffix for a missing category.</summary>
    public const string MissingCategory = "(missing)";

    /// <summary>The slot suffix for a rare or unseen category.</summary>
    public const string OtherCategory = "(other)";

    private readonly int[] _numericFeatures;
    private readonly int[] _categoricalFeatures;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[] _slots;
    private readonly int[] _missingSlot;
    private readonly int[] _otherSlot;
    private readonly string[] _slotNames;

    /// <summary>Creates an encoder for <paramref name="schema"/> with the given known categories per categorical feature.</summary>
    public FeatureEncoder(LeadSchema schema, IReadOnlyDictionary<string, IReadOnlyList<string>> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(vocabulary);
        Schema = schema;
        Vocabulary = vocabulary;
        var numeric = new List<int>();
        var categorical = new List<int>();
        for (var f = 0; f < schema.Features.Count; f++)
        {
            (schema.Features[f].Type == FeatureType.Categorical ? categorical : numeric).Add(f);
        }

        _numericFeatures = [.. numeric];
        _categoricalFeatures = [.. categorical];
        var names = numeric.Select(f => schema.Features[f].Name).ToList();
        _slots = new FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[categorical.Count];
        _missingSlot = new int[categorical.Count];
        _otherSlot = new int[categorical.Count];
        for (var k = 0; k < categorical.Count; k++)
        {
            var name = schema.Features[categorical[k]].Name;
            var known = (vocabulary.TryGetValue(name, out var list) ? list : []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var slots = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var category in known)
            {
                slots[category] = names.Count;
                names.Add($"{name}={category}");
            }

            _slots[k] = slots.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
            _missingSlot[k] = names.Count;
            names.Add($"{name}={MissingCategory}");
            _otherSlot[k] = names.Count;
            names.Add($"{name}={OtherCategory}");
        }

        _slotNames = [.. names];
    }

    /// <summary>The schema whose features are encoded.</summary>
    public LeadSchema Schema { get; }

    /// <summary>Known categories per categorical feature.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Vocabulary { get; }

    /// <summary>Length of the encoded vector.</summary>
    public int Width => _slotNames.Length;

    /// <summary>A readable name per slot: the feature name, or "feature=category" for one-hot slots.</summary>
    public IReadOnlyList<string> SlotNames => _slotNames;

    /// <summary>
    /// The known categories of a training table: per categorical feature, those seen at least
    /// <paramref name="minCount"/> times (first-seen spelling), most frequent first.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<string>> LearnVocabulary(LeadTable table, int minCount = DefaultMinCategoryCount)
    {
        ArgumentNullException.ThrowIfNull(table);
        var vocabulary = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var column in table.Columns.OfType<CategoricalColumn>())
        {
            var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var v in column.Values)
            {
                if (v is not null)
                {
                    counts[v] = counts.GetValueOrDefault(v) + 1;
                }
            }

            vocabulary[column.Spec.Name] = counts
                .Where(kv => kv.Value >= minCount)
                .OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key)
                .ToList();
        }

        return vocabulary;
    }

    /// <summary>Encodes one lead into <paramref name="vector"/> (length <see cref="Width"/>).</summary>
    public void Encode(LeadFeatures lead, Span<float> vector)
    {
        ArgumentNullException.ThrowIfNull(lead);
        vector.Clear();
        for (var i = 0; i < _numericFeatures.Length; i++)
        {
            vector[i] = (float)lead.Numbers[_numericFeatures[i]];
        }

        for (var k = 0; k < _categoricalFeatures.Length; k++)
        {
            vector[SlotOf(k, lead.Categories[_categoricalFeatures[k]])] = 1;
        }
    }

    /// <summary>Encodes row <paramref name="row"/> of <paramref name="table"/> (whose schema must match) into <paramref name="vector"/>.</summary>
    public void Encode(LeadTable table, int row, Span<float> vector)
    {
        ArgumentNullException.ThrowIfNull(table);
        vector.Clear();
        for (var i = 0; i < _numericFeatures.Length; i++)
        {
            vector[i] = (float)((NumericColumn)table.Columns[_numericFeatures[i]]).Values[row];
        }

        for (var k = 0; k < _categoricalFeatures.Length; k++)
        {
            vector[SlotOf(k, ((CategoricalColumn)table.Columns[_categoricalFeatures[k]]).Values[row])] = 1;
        }
    }

    private int SlotOf(int k, string? category) =>
        category is null ? _missingSlot[k] : _slots[k].TryGetValue(category.AsSpan().Trim(), out var slot) ? slot : _otherSlot[k];
}
