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
    string CreatedBy)
{
    /// <summary>Held-out ROC AUC recorded at registration (its own column: no metadata parsing), when known.</summary>
    public double? Auc { get; init; }
}

/// <summary>What to register: the package bytes (already validated by the caller) and descriptive fields.</summary>
public sealed record NewModelVersion(
    string ModelName,
    byte[] Package,
    string MetadataJson,
    string Actor,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? Reason = null)
{
    /// <summary>The held-out ROC AUC; when null the registry takes <c>metrics.auc</c> from <see cref="MetadataJson"/>.</summary>
    public double? Auc { get; init; }

    /// <summary>The package's <c>reference-profile.json</c>; when null the registry reads it from <see cref="Package"/> (a zip).</summary>
    public string? ReferenceProfileJson { get; init; }
}

/// <summary>What lists show of a version, read without its metadata or package.</summary>
/// <param name="ModelName">The model this version belongs to.</param>
/// <param name="Version">Auto-numbered from 1 per model.</param>
/// <param name="Stage">Current stage.</param>
/// <param name="Aliases">Aliases currently on this version, sorted.</param>
/// <param name="Description">Free text.</param>
/// <param name="Tags">Free key/value labels.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="CreatedBy">Who registered it.</param>
/// <param name="PackageSha256">SHA-256 (hex) of the stored package bytes.</param>
/// <param name="PackageSize">Size of the stored package in bytes.</param>
/// <param name="Auc">Held-out ROC AUC recorded at registration, when known.</param>
/// <param name="StageChangedAt">When the stage last changed (the registration time until then).</param>
public sealed record ModelVersionSummary(
    string ModelName,
    int Version,
    ModelStage Stage,
    IReadOnlyList<string> Aliases,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string PackageSha256,
    long PackageSize,
    double? Auc,
    DateTimeOffset StageChangedAt);

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
