using System.Text.Json;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Server.Registry;

/// <summary>A registered model.</summary>
public sealed record ModelSummaryResponse(string Name, DateTimeOffset CreatedAt, int LatestVersion, int? ProductionVersion);

/// <summary>A registered version. <see cref="Metadata"/> (schema, parameters, metrics, lineage) is included when one version is asked for.</summary>
public sealed record ModelVersionResponse(
    string Name,
    int Version,
    string Stage,
    IReadOnlyList<string> Aliases,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string PackageSha256,
    long PackageSize,
    double? Auc,
    JsonElement? Metadata)
{
    internal static ModelVersionResponse From(ModelVersion v, bool withMetadata)
    {
        JsonElement? metadata = null;
        if (withMetadata)
        {
            using var document = JsonDocument.Parse(v.MetadataJson);
            metadata = document.RootElement.Clone();
        }

        return new ModelVersionResponse(
            v.ModelName, v.Version, v.Stage.ToString(), v.Aliases, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.PackageSha256, v.PackageSize, v.Auc, metadata);
    }

    internal static ModelVersionResponse From(ModelVersionSummary v) => new(
        v.ModelName, v.Version, v.Stage.ToString(), v.Aliases, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.PackageSha256, v.PackageSize, v.Auc, null);
}

/// <summary>Move a version to a stage (None, Staging, Production, Archived).</summary>
public sealed record TransitionRequest(string Stage, string? Reason);

/// <summary>Point an alias at a version.</summary>
public sealed record AliasRequest(int Version, string? Reason);

/// <summary>Why Production is being rolled back.</summary>
public sealed record RollbackRequest(string? Reason);

/// <summary>One audit log entry.</summary>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Model, int? Version, string Action, string? Alias, string? From, string? To, string? Reason);
