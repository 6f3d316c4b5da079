using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Server.Serving;

/// <summary>A model version loaded and ready to score.</summary>
/// <param name="Name">Registered model name.</param>
/// <param name="Version">Registered version.</param>
/// <param name="Package">The loaded package.</param>
/// <param name="LoadedAt">When this instance loaded it.</param>
public sealed record LoadedModel(string Name, int Version, ModelPackage Package, DateTimeOffset LoadedAt);

/// <summary>
/// The model this instance serves. Swapping is one reference assignment: a request reads <see cref="Current"/>
/// once and finishes on that model, so a promotion or rollback never fails a request in flight.
/// </summary>
public sealed class ServedModel
{
    private volatile LoadedModel? _current;

    /// <summary>The model to score with, or null before the first one is loaded.</summary>
    public LoadedModel? Current => _current;

    /// <summary>Serves <paramref name="model"/> from now on.</summary>
    public void Serve(LoadedModel model) => _current = model;

    /// <summary>Stops serving (no Production version exists any more).</summary>
    public void Clear() => _current = null;
}
