using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScoring.Modeling.Training;

/// <summary>One lead as ML.NET sees it: the encoded feature vector (and, for training, the outcome).</summary>
internal sealed class ModelInput
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    /// <summary>An input sized for <paramref name="encoder"/>.</summary>
    public static ModelInput For(FeatureEncoder encoder) => new() { Features = new float[encoder.Width] };

    /// <summary>The column types for <paramref name="encoder"/>'s vector width, with readable slot names.</summary>
    public static SchemaDefinition Schema(FeatureEncoder encoder)
    {
        var definition = SchemaDefinition.Create(typeof(ModelInput));
        var column = definition[nameof(Features)];
        column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, encoder.Width);
        var names = encoder.SlotNames.Select(n => n.AsMemory()).ToArray();
        column.AddAnnotation(
            "SlotNames",
            new VBuffer<ReadOnlyMemory<char>>(names.Length, names),
            new VectorDataViewType(TextDataViewType.Instance, names.Length));
        return definition;
    }

    /// <summary>Encodes rows of a table.</summary>
    public static List<ModelInput> FromTable(LeadTable table, FeatureEncoder encoder, IReadOnlyList<int>? rows = null)
    {
        var indices = rows ?? Enumerable.Range(0, table.Count).ToArray();
        var result = new List<ModelInput>(indices.Count);
        foreach (var row in indices)
        {
            var input = For(encoder);
            encoder.Encode(table, row, input.Features);
            input.Label = table.Labels?[row] ?? false;
            result.Add(input);
        }

        return result;
    }

    /// <summary>An ML.NET data view over encoded rows.</summary>
    public static IDataView View(MLContext ml, IEnumerable<ModelInput> inputs, FeatureEncoder encoder) =>
        ml.Data.LoadFromEnumerable(inputs, Schema(encoder));
}

/// <summary>What the model returns for a lead: the raw margin and the (calibrated) probability.</summary>
internal sealed class ModelOutput
{
    public float Score { get; set; }

    public float Probability { get; set; }
}
