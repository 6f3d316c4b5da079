namespace LeadScoring.Storage.Registry;

/// <summary>A named model: a line of versions.</summary>
public sealed record RegisteredModel(string Name, string? Description, DateTimeOffset CreatedAt, int LatestVersion, int? ProductionVersion);

/// <summary>One registered version of a model, with its package's metadata and lineage.</summary>
/// <param name="ModelName">The model this version belongs to.</param>
/// <param name="Version">Auto-numbered from 1 per model.</param>
/// <param name="Stage">Current stage.</param>
/// <param name="Description">Free text.</param>
/// <param name="Tags">Free key/value labels.</param>
/// <param name="Aliases">Named pointers (e.g. champion, challenger) currently on this version.</param>
/// <param name="MetadataJson">The package's metadata.json, verbatim (schema, params, metrics, lineage).</param>
/// <param name="PackageSha256">SHA-256 (hex) of the stored package bytes.</param>
/// <param name="PackageSize">Size of the stored package in bytes.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="CreatedBy">Who registered it.</param>
public sealed record ModelVersion(
    string ModelName,
    int Version,
    ModelStage Stage,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases,
    string MetadataJson,
    string PackageSha256,
    long PackageSize,
    DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>What to register: the package bytes (already validated by the caller) and descriptive fields.</summary>
public sealed record NewModelVersion(
    string ModelName,
    byte[] Package,
    string MetadataJson,
    string Actor,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? Reason = null);

/// <summary>One audited change: who did what to which version, from what to what, and why.</summary>
/// <param name="Id">Increasing sequence number.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who (user name, API key name, "system").</param>
/// <param name="ModelName">The model.</param>
/// <param name="Version">The version acted on, when one.</param>
/// <param name="Action">register, stage, alias-set, alias-removed, rollback, tags, ….</param>
/// <param name="From">Previous value (stage, alias target…), when one.</param>
/// <param name="To">New value, when one.</param>
/// <param name="Reason">Why, as given by the actor.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string ModelName, int? Version, string Action, string? From, string? To, string? Reason)
{
    /// <summary>The alias acted on, for the alias-set and alias-removed actions; null otherwise.</summary>
    public string? Alias { get; init; }
}
