namespace LeadScoring.Storage.Registry;

/// <summary>
/// Versioned models with stages, aliases and an audit log. Every change is one transaction and writes its
/// audit entry in that same transaction. Implemented for SQLite and PostgreSQL; both pass one test suite.
/// A call the store itself cannot carry out (disk full, read-only, corrupt, unreachable) throws
/// <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Stores a new version (numbered max + 1 for the model, creating the model on first use), stage None.</summary>
    Task<ModelVersion> RegisterAsync(NewModelVersion request, CancellationToken cancellationToken = default);

    /// <summary>All models, by name.</summary>
    Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>All versions of a model, newest first; empty when the model does not exist.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>One version, or null.</summary>
    Task<ModelVersion?> GetVersionAsync(string modelName, int version, CancellationToken cancellationToken = default);

    /// <summary>The newest version of a model (highest number, whatever its stage), or null.</summary>
    Task<ModelVersion?> GetLatestVersionAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>What lists show of every version of a model, newest first, without metadata or packages; empty when the model does not exist.</summary>
    Task<IReadOnlyList<ModelVersionSummary>> ListVersionSummariesAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>The reference profile (the package's <c>reference-profile.json</c>) of a version, or null when the version does not exist or has none.</summary>
    Task<string?> GetReferenceProfileJsonAsync(string modelName, int version, CancellationToken cancellationToken = default);

    /// <summary>The version in Production, or null.</summary>
    Task<ModelVersion?> GetProductionAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>The version an alias points to, or null.</summary>
    Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken = default);

    /// <summary>The stored package bytes of a version, or null.</summary>
    Task<byte[]?> GetPackageAsync(string modelName, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a version to <paramref name="stage"/>. Moving a version to Production archives the version that was
    /// in Production (and records the promotion in the production history used by rollback).
    /// </summary>
    Task<ModelVersion> TransitionAsync(string modelName, int version, ModelStage stage, string actor, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="alias"/> at a version (moving it if it pointed elsewhere).</summary>
    Task<ModelVersion> SetAliasAsync(string modelName, string alias, int version, string actor, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias; false when it did not exist.</summary>
    Task<bool> RemoveAliasAsync(string modelName, string alias, string actor, string? reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the previous Production version back in Production and archives the current one, in one audited
    /// transaction. Repeated rollbacks walk further back through the production history.
    /// </summary>
    Task<ModelVersion> RollbackAsync(string modelName, string actor, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Audit entries, newest first; for one model when <paramref name="modelName"/> is given.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(string? modelName, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever anything in the registry changes (cheap to poll).</summary>
    Task<long> GetChangeTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the store can be written now (disk full, read-only, corrupt, unreachable); for readiness. Never throws for a fault.</summary>
    Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken = default);
}
