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

    /// <summary>What scores a lead: the package's scorer, unless the <see cref="IModelLoader"/> that loaded it wrapped it.</summary>
    public IModelScorer Scorer { get; init; } = new PackageScorer(Package.Scorer);
}

/// <summary>The deployment modes that put a challenger beside the champion (wire names, as the deployment store spells them).</summary>
public static class ServedModes
{
    /// <summary>The challenger scores every lead off the request path; the champion answers.</summary>
    public const string Shadow = "shadow";

    /// <summary>The challenger answers a fixed share of the leads.</summary>
    public const string AB = "ab";

    /// <summary>The challenger answers the current step's share of the leads.</summary>
    public const string Canary = "canary";
}

/// <summary>
/// The active deployment as this instance serves it (single mode has none). Built by the deployment sync from the
/// store's deployment and the challenger it loaded, and put into the snapshot with <see cref="ServingState.SetDeployment"/>.
/// </summary>
public sealed record ServedDeployment
{
    /// <summary>Serves <paramref name="challenger"/> beside the champion in <paramref name="mode"/> (one of <see cref="ServedModes"/>).</summary>
    /// <param name="id">The deployment's id in the store (what the arm counters are kept by).</param>
    /// <param name="mode">shadow, ab or canary.</param>
    /// <param name="share">The challenger's share of the leads, 0–1 (0 for shadow).</param>
    /// <param name="salt">The deployment's salt for <see cref="Core.Deployments.StickyAssignment"/>.</param>
    /// <param name="challenger">The challenger (ab, canary) or the shadow model.</param>
    public ServedDeployment(long id, string mode, double share, string salt, LoadedModel challenger)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentException.ThrowIfNullOrEmpty(salt);
        if (mode is not (ServedModes.Shadow or ServedModes.AB or ServedModes.Canary))
        {
            throw new ArgumentException($"a served deployment's mode is shadow, ab or canary (got '{mode}'; single serves no deployment)", nameof(mode));
        }

        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "the challenger's share is between 0 and 1");
        }

        (Id, Mode, Share, Salt, Challenger) = (id, mode, mode == ServedModes.Shadow ? 0 : share, salt, challenger);
    }

    /// <summary>The deployment's id in the store.</summary>
    public long Id { get; }

    /// <summary>shadow, ab or canary.</summary>
    public string Mode { get; }

    /// <summary>The challenger's share of the leads (always 0 in shadow mode).</summary>
    public double Share { get; }

    /// <summary>The salt of the sticky assignment.</summary>
    public string Salt { get; }

    /// <summary>The challenger (ab, canary) or the shadow model (shadow).</summary>
    public LoadedModel Challenger { get; }

    /// <summary>True in shadow mode: the challenger never answers, it scores beside the champion.</summary>
    public bool IsShadow => Mode == ServedModes.Shadow;
}

/// <summary>
/// Everything this instance serves at one moment. Immutable: a change builds a new snapshot and swaps it in
/// whole (<see cref="ServingState"/>), so a request that read one snapshot finishes on it.
/// </summary>
/// <param name="Champion">The Production model: it answers every lead the deployment does not give the challenger.</param>
public sealed record ServingSnapshot(LoadedModel Champion)
{
    /// <summary>The active deployment (a challenger answering a share, or a shadow), or null in single mode.</summary>
    public ServedDeployment? Deployment { get; init; }
}

/// <summary>
/// Holds the current <see cref="ServingSnapshot"/>. Swapping is one reference assignment: a request reads
/// <see cref="Snapshot"/> once and finishes on it, so a promotion, rollback or deployment change never fails a request in
/// flight and no request sees half a change. The champion (kept by the production sync) and the deployment (kept by the
/// deployment sync) change independently; each change is a compare-and-swap on the whole snapshot, so neither undoes
/// the other.
/// </summary>
public sealed class ServingState
{
    private volatile ServingSnapshot? _snapshot;

    /// <summary>What to score with, or null before the first model is loaded (or after Production was emptied).</summary>
    public ServingSnapshot? Snapshot => _snapshot;

    /// <summary>Serves <paramref name="snapshot"/> from now on, as given; null stops serving.</summary>
    public void Swap(ServingSnapshot? snapshot) => _snapshot = snapshot;

    /// <summary>
    /// Serves <paramref name="champion"/> from now on (null stops serving), keeping the deployment unless the new champion's
    /// features differ from its challenger's (then the challenger could not score the leads parsed for the champion).
    /// </summary>
    public ServingSnapshot? SetChampion(LoadedModel? champion) => Update(current =>
        champion is null ? null
        : current?.Deployment is { } deployment && deployment.Challenger.Package.Schema.HasSameFeatures(champion.Package.Schema)
            ? new ServingSnapshot(champion) { Deployment = deployment }
            : new ServingSnapshot(champion));

    /// <summary>
    /// Serves <paramref name="deployment"/> beside the current champion from now on (null: single mode). Returns the new
    /// snapshot, or null when no champion is loaded (nothing is served, so there is nothing to put it beside).
    /// </summary>
    /// <exception cref="InvalidOperationException">The challenger's features differ from the champion's.</exception>
    public ServingSnapshot? SetDeployment(ServedDeployment? deployment) => Update(current =>
    {
        if (current is null)
        {
            return null;
        }

        if (deployment is not null && !deployment.Challenger.Package.Schema.HasSameFeatures(current.Champion.Package.Schema))
        {
            throw new InvalidOperationException(
                $"{deployment.Challenger.Name} v{deployment.Challenger.Version} has other features than the champion v{current.Champion.Version}: it cannot score the same requests");
        }

        return current with { Deployment = deployment };
    });

    private ServingSnapshot? Update(Func<ServingSnapshot?, ServingSnapshot?> change)
    {
        while (true)
        {
            var current = _snapshot;
            var next = change(current);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _snapshot, next, current), current))
            {
                return next;
            }
        }
    }
}
