using LeadScoring.Core.Features;
using LeadScoring.Core.Profiles;
using LeadScoring.Modeling.Packaging;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>A freshly trained model, before it is written as a package.</summary>
public sealed class TrainedModel
{
    internal TrainedModel(MLContext ml, ITransformer model, FeatureEncoder encoder, ModelMetadata metadata, ReferenceProfile profile)
    {
        Ml = ml;
        Model = model;
        Encoder = encoder;
        Metadata = metadata;
        Profile = profile;
    }

    /// <summary>What was trained, how, and how good it is.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The training data's reference profile (for drift detection).</summary>
    public ReferenceProfile Profile { get; }

    internal MLContext Ml { get; }

    internal ITransformer Model { get; }

    internal FeatureEncoder Encoder { get; }
}
