using LeadScoring.Core.Features;
using LeadScoring.Core.Profiles;
using LeadScoring.Modeling.Packaging;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>A freshly trained model, before it is written as a package.</summary>
public sealed class TrainedModel
{
    internal TrainedModel(MLContext ml, ITransformer model, FeatureEncoder encoder, ModelMetadata metadata, ReferenceProfile profile, int[] heldOutRows, double[] heldOutProbabilities)
    {
        Ml = ml;
        Model = model;
        Encoder = encoder;
        Metadata = metadata;
        Profile = profile;
        HeldOutRows = heldOutRows;
        HeldOutProbabilities = heldOutProbabilities;
    }

    /// <summary>What was trained, how, and how good it is.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The training data's reference profile (for drift detection).</summary>
    public ReferenceProfile Profile { get; }

    /// <summary>The held-out rows (indices into the table trained on), in the split's order.</summary>
    public IReadOnlyList<int> HeldOutRows { get; }

    /// <summary>
    /// The packaged (calibrated) model's probability for each of <see cref="HeldOutRows"/>, in the same order: what a
    /// gate compares with another model's scores on the same rows.
    /// </summary>
    public IReadOnlyList<double> HeldOutProbabilities { get; }

    internal MLContext Ml { get; }

    internal ITransformer Model { get; }

    internal FeatureEncoder Encoder { get; }

    /// <summary>The same model with <paramref name="search"/> recorded in its parameters (how its settings were chosen).</summary>
    public TrainedModel WithSearch(SearchSummary search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var metadata = Metadata with { Parameters = Metadata.Parameters with { Search = search } };
        return new TrainedModel(Ml, Model, Encoder, metadata, Profile, (int[])HeldOutRows, (double[])HeldOutProbabilities);
    }
}
