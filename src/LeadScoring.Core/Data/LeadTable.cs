using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Data;

/// <summary>
/// Leads in columns, parsed and checked against a schema: one <see cref="FeatureColumn"/> per schema
/// feature (in schema order), plus ids, timestamps, labels and revenue where the schema and file have them.
/// </summary>
public sealed class LeadTable
{
    /// <summary>Creates a table; <see cref="LeadTableBuilder"/> is the usual way to get one.</summary>
    public LeadTable(
        LeadSchema schema,
        IReadOnlyList<FeatureColumn> columns,
        string?[]? ids,
        DateTimeOffset[]? timestamps,
        bool[]? labels,
        double[]? revenue)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        Schema = schema;
        Columns = columns;
        Ids = ids;
        Timestamps = timestamps;
        Labels = labels;
        Revenue = revenue;
        Count = columns.Count == 0 ? 0 : columns[0] switch
        {
            NumericColumn n => n.Values.Length,
            CategoricalColumn c => c.Values.Length,
            _ => 0,
        };
    }

    /// <summary>The schema the rows were checked against.</summary>
    public LeadSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>One column per schema feature, in schema order.</summary>
    public IReadOnlyList<FeatureColumn> Columns { get; }

    /// <summary>Lead ids, or null when the schema has no id column.</summary>
    public string?[]? Ids { get; }

    /// <summary>Arrival times, or null when the schema has no timestamp column.</summary>
    public DateTimeOffset[]? Timestamps { get; }

    /// <summary>Outcomes (true = converted), or null when the file has no label column (scoring input).</summary>
    public bool[]? Labels { get; }

    /// <summary>Revenue per lead (0 when not converted or missing), or null without a revenue column.</summary>
    public double[]? Revenue { get; }

    /// <summary>Row <paramref name="row"/>'s feature values by schema position, as a lead sent to the service carries them.</summary>
    public LeadFeatures FeaturesOf(int row)
    {
        var features = new LeadFeatures(Schema.Features.Count);
        for (var i = 0; i < Columns.Count; i++)
        {
            switch (Columns[i])
            {
                case NumericColumn numbers:
                    features.Numbers[i] = numbers.Values[row];
                    break;
                case CategoricalColumn categories:
                    features.Categories[i] = categories.Values[row];
                    break;
            }
        }

        return features;
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new table.</summary>
    public LeadTable Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var columns = Columns.Select(c => c switch
        {
            NumericColumn n => (FeatureColumn)new NumericColumn(n.Spec, Pick(n.Values, indices)),
            CategoricalColumn cat => new CategoricalColumn(cat.Spec, Pick(cat.Values, indices)),
            _ => throw new InvalidOperationException("unknown column kind"),
        }).ToList();
        return new LeadTable(
            Schema,
            columns,
            Ids is null ? null : Pick(Ids, indices),
            Timestamps is null ? null : Pick(Timestamps, indices),
            Labels is null ? null : Pick(Labels, indices),
            Revenue is null ? null : Pick(Revenue, indices));
    }

    private static T[] Pick<T>(T[] source, IReadOnlyList<int> indices)
    {
        var result = new T[indices.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = source[indices[i]];
        }

        return result;
    }
}
