using LeadScoring.Core.Features;
using LeadScoring.Modeling.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScoring.Modeling.Packaging;

/// <summary>Checks that a loaded model's input column is the vector the package's schema encodes to.</summary>
internal static class DataViewSchemaCheck
{
    public static Result Matches(DataViewSchema input, FeatureEncoder encoder)
    {
        if (input.GetColumnOrNull(nameof(ModelInput.Features)) is not { } column || column.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector)
        {
            return new Result(false, "the model has no numeric feature vector input");
        }

        return vector.Size == encoder.Width
            ? new Result(true, null)
            : new Result(false, $"the model expects a feature vector of {vector.Size} slots but the schema and vocabulary encode to {encoder.Width}");
    }

    public sealed record Result(bool Ok, string? Problem);
}
