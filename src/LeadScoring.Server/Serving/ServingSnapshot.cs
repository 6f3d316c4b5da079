using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Scoring;

namespace LeadScoring.Server.Serving;

/// <summary>A model version loaded and ready to score.</summary>
/// <param name="Name">Registered model name.</param>
/// <param name="Version">Registered version.</param>
/// <param name="Package">The loaded package.</param>
/// <param name="LoadedAt">When this instance loaded it.</param>
public sealed record LoadedModel(string Name, int Version, ModelPackage Package, DateTimeOffset LoadedAt)
{
    /// <summary>Name and version as responses and the request log show them; made once so no request allocates it.</summary>
    public ModelRef Reference { get; } = new(Name, Version);
}

/// <summary>
/// Everything this instance serves at one moment. Immutable: a change builds a new snapshot and swaps it in
/// whole (<see cref="ServingState"/>), so a request that read one snapshot finishes on it.
/// </summary>
/// <param name="Champion">The model that answers every request.</param>
public sealed record ServingSnapshot(LoadedModel Champion)
{
    /// <summary>A model answering a share of the requests instead of the champion. Not deployed yet: always null.</summary>
    public LoadedModel? Challenger { get; init; }

    /// <summary>A model scoring requests alongside the champion without answering them. Not deployed yet: always null.</summary>
    public LoadedModel? Shadow { get; init; }

    /// <summary>The share (0–1) of requests the challenger answers. Not deployed yet: always null.</summary>
    public double? ChallengerShare { get; init; }
}

/// <summary>
/// Holds the current <see cref="ServingSnapshot"/>. Swapping is one volatile reference assignment: a request
/// reads <see cref="Snapshot"/> once and finishes on it, so a promotion or rollback never fails a request in
/// flight and no request sees half a change.
/// </summary>
public sealed class ServingState
{
    private volatile ServingSnapshot? _snapshot;

    /// <summary>What to score with, or null before the first model is loaded (or after Production was emptied).</summary>
    public ServingSnapshot? Snapshot => _snapshot;

    /// <summary>Serves <paramref name="snapshot"/> from now on; null stops serving.</summary>
    public void Swap(ServingSnapshot? snapshot) => _snapshot = snapshot;
}
