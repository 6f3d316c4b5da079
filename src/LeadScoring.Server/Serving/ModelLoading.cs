using LeadScoring.Core.Features;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Server.Serving;

/// <summary>Scores one lead with a loaded model (thread-safe).</summary>
public interface IModelScorer
{
    /// <summary>The calibrated conversion probability of <paramref name="lead"/>.</summary>
    double Score(LeadFeatures lead);
}

/// <summary>A package's own scorer.</summary>
public sealed class PackageScorer(LeadScorer scorer) : IModelScorer
{
    public double Score(LeadFeatures lead) => scorer.Score(lead);
}

/// <summary>
/// Turns a registered version's package archive into a <see cref="LoadedModel"/>. Every model the service serves (the
/// champion, a challenger, a shadow) is loaded through the one registered instance, so a test can register its own to
/// wrap a model's scorer (make it throw or slow) without any switch in the product.
/// </summary>
public interface IModelLoader
{
    /// <summary>Loads and checks <paramref name="archive"/> (version <paramref name="version"/> of <paramref name="name"/>).</summary>
    LoadedModel Load(string name, int version, byte[] archive);
}

/// <summary>Loads packages as they are.</summary>
public sealed class PackageModelLoader(TimeProvider time) : IModelLoader
{
    public LoadedModel Load(string name, int version, byte[] archive) =>
        new(name, version, ModelPackage.Load(archive, $"{name} v{version}"), time.GetUtcNow());
}
