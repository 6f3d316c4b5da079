using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The model registry over a SQL database: every rule lives here (its statements in <see cref="RegistryStatements"/>),
/// on the shared foundation of <c>Sql/</c>: the database's dialect (SQLite or PostgreSQL) says how to open, lock and
/// spell things, <see cref="SqlDatabase"/> runs units of work, <see cref="SchemaMigrator"/> keeps the schema (component
/// <c>registry</c>) current. Create one with <see cref="ModelRegistryFactory"/>.
/// </summary>
/// <remarks>
/// <para><b>Write transactions.</b> Every change is one transaction that also writes its audit entries and moves the
/// change token. A change to a model first locks that model's row (SQLite: the whole database, through
/// <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>SELECT … FOR UPDATE</c>), so changes to one model are serialized: two
/// registrations get distinct versions and two promotions leave exactly one version in Production. A partial
/// unique index (one row per model with stage 'Production') backs this up in the database itself.</para>
/// <para><b>Transition to the stage a version already has</b> is a no-op: it returns the version unchanged, writes
/// no audit entry and leaves the change token alone, so retrying a promotion is safe.</para>
/// <para><b>Production history (rollback).</b> Each model has a stack of promotions. Promoting a version to
/// Production pushes it, so the top of the stack is always the version in Production, when there is one.
/// <see cref="RollbackAsync"/> pops the top (archiving that version) and puts the new top back in Production;
/// repeated rollbacks walk further back, and a rollback with only one entry left is a
/// <see cref="RegistryErrorKind.Conflict"/>. A promotion after rollbacks simply pushes onto the stack as it is
/// then: promote v1, v2, v3, roll back (v2 serves; stack v1 v2), promote v4 (stack v1 v2 v4), roll back ⇒ v2,
/// roll back ⇒ v1. Rolled-back versions are never redone. Moving the Production version to another stage with
/// <see cref="TransitionAsync"/> (a withdrawal) pops its entry too, so a later rollback never brings back a
/// version that was withdrawn from Production; with no version in Production, rollback is a Conflict.</para>
/// </remarks>
public sealed class ModelRegistry : IModelRegistry, IAsyncDisposable
{
    private readonly SqlComponent _store;
    private readonly SqlDialect _dialect;
    private readonly RegistryStatements _statements;
    private readonly RegistryChanges _changes;

    /// <summary>The registry on <paramref name="database"/>; the registry owns it and disposes it.</summary>
    internal ModelRegistry(SqlDatabase database)
    {
        _store = new SqlComponent(database, RegistrySchema.Component, RegistrySchema.Steps);
        _dialect = _store.Dialect;
        _statements = new RegistryStatements(_dialect);
        _changes = new RegistryChanges(_dialect, _statements);
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider => _dialect.Provider;

    /// <summary>Names the database in messages ("the SQLite database /srv/data/leadscoring.db").</summary>
    public string StoreDescription => _dialect.Description;

    /// <summary>The database this registry runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestSchemaVersion => _store.LatestSchemaVersion;

    /// <summary>
    /// Creates or migrates the schema. Called on first use by every other method; call it at startup to fail
    /// early. Idempotent, and safe when several processes start together.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>The schema version of the registry in the database (0 before it is created).</summary>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => _store.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion> RegisterAsync(NewModelVersion request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RegistryNames.ValidateNewVersion(request);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(request.Package));
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Tags ?? new Dictionary<string, string>())
        {
            tags[key] = value;
        }

        var tagsJson = JsonSerializer.Serialize(tags);
        // Extracted once here, so lists and monitoring never re-parse metadata or unzip packages.
        var auc = request.Auc ?? VersionProjections.AucFromMetadata(request.MetadataJson);
        var profile = request.ReferenceProfileJson ?? VersionProjections.ReferenceProfileFromPackage(request.Package);

        return await WriteAsync(
            async (session, ct) =>
            {
                var now = _store.Database.Now();
                var (modelId, version) = await _statements.NextVersionAsync(session, request.ModelName, request.Actor, now, ct).ConfigureAwait(false);
                await _statements.InsertVersionAsync(session, modelId, version, request, tagsJson, sha256, auc, profile, now, ct).ConfigureAwait(false);
                await _statements.AuditAsync(session, now, request.Actor, request.ModelName, version, "register", null, null, nameof(ModelStage.None), request.Reason, ct).ConfigureAwait(false);
                await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);

                return new ModelVersion(
                    request.ModelName, version, ModelStage.None, request.Description, new Dictionary<string, string>(tags, StringComparer.Ordinal),
                    [], request.MetadataJson, sha256, request.Package.LongLength, now, request.Actor)
                {
                    Auc = auc,
                };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await ReadAsync(_statements.ReadModelsAsync, cancellationToken).ConfigureAwait(false);

        // Sorted here, not in SQL, so the order is ordinal on both providers whatever the database's collation.
        models.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return models;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        return await ReadAsync(
            (session, ct) => _statements.ReadVersionsAsync(session, modelName, "", [], ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetVersionAsync(string modelName, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateVersion(version);
        return await ReadAsync(
            (session, ct) => _statements.ReadVersionAsync(session, modelName, version, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetLatestVersionAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        var versions = await ReadAsync(
            (session, ct) => _statements.ReadVersionsAsync(
                session,
                modelName,
                " AND v.version = (SELECT MAX(l.version) FROM model_versions l WHERE l.model_id = m.id)",
                [],
                ct),
            cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersionSummary>> ListVersionSummariesAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        return await ReadAsync(
            (session, ct) => _statements.ReadSummariesAsync(session, modelName, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> GetReferenceProfileJsonAsync(string modelName, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateVersion(version);
        var profiles = await ReadAsync(
            (session, ct) => session.QueryAsync(
                """
                SELECT v.reference_profile_json FROM model_versions v JOIN registered_models m ON m.id = v.model_id
                WHERE m.name = @name AND v.version = @version
                """,
                [SqlArg.Text("@name", modelName), SqlArg.Int("@version", version)],
                r => r.IsDBNull(0) ? null : r.GetString(0),
                ct),
            cancellationToken).ConfigureAwait(false);
        return profiles.Count == 0 ? null : profiles[0];
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetProductionAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        var versions = await ReadAsync(
            (session, ct) => _statements.ReadVersionsAsync(session, modelName, " AND v.stage = 'Production'", [], ct),
            cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateAlias(alias);
        var versions = await ReadAsync(
            (session, ct) => _statements.ReadVersionsAsync(
                session,
                modelName,
                " AND v.version = (SELECT a.version FROM model_aliases a WHERE a.model_id = m.id AND a.alias = @alias)",
                [SqlArg.Text("@alias", alias)],
                ct),
            cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetPackageAsync(string modelName, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateVersion(version);
        var packages = await ReadAsync(
            (session, ct) => session.QueryAsync(
                """
                SELECT v.package FROM model_versions v JOIN registered_models m ON m.id = v.model_id
                WHERE m.name = @name AND v.version = @version
                """,
                [SqlArg.Text("@name", modelName), SqlArg.Int("@version", version)],
                r => r.GetFieldValue<byte[]>(0),
                ct),
            cancellationToken).ConfigureAwait(false);
        return packages.Count == 0 ? null : packages[0];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Moving a version to the stage it already has is a no-op (no audit entry, change token unchanged).
    /// Promoting archives the previous Production version (audit entries for both) and pushes the promoted version
    /// onto the production history; moving the Production version elsewhere pops it (see the class remarks).
    /// </remarks>
    public async Task<ModelVersion> TransitionAsync(string modelName, int version, ModelStage stage, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateVersion(version);
        RegistryNames.ValidateStage(stage);
        RegistryNames.ValidateActor(actor);

        return await WriteAsync(
            async (session, ct) =>
            {
                if (await _changes.TransitionAsync(session, modelName, version, stage, actor, reason, _store.Database.Now(), ct).ConfigureAwait(false))
                {
                    await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                }

                return await _statements.RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Pointing an alias at the version it already points to is a no-op (no audit entry).</remarks>
    public async Task<ModelVersion> SetAliasAsync(string modelName, string alias, int version, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateAlias(alias);
        RegistryNames.ValidateVersion(version);
        RegistryNames.ValidateActor(actor);

        return await WriteAsync(
            async (session, ct) =>
            {
                if (await _changes.SetAliasAsync(session, modelName, alias, version, actor, reason, _store.Database.Now(), ct).ConfigureAwait(false))
                {
                    await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                }

                return await _statements.RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>An unknown model is <see cref="RegistryErrorKind.NotFound"/>; an unknown alias of a known model is false.</remarks>
    public async Task<bool> RemoveAliasAsync(string modelName, string alias, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateAlias(alias);
        RegistryNames.ValidateActor(actor);

        return await WriteAsync(
            async (session, ct) =>
            {
                var modelId = await _statements.LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                var previous = await session.ScalarInt32Async(
                    "DELETE FROM model_aliases WHERE model_id = @id AND alias = @alias RETURNING version",
                    [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias)],
                    ct).ConfigureAwait(false);
                if (previous is null)
                {
                    return false;
                }

                await _statements.AuditAsync(session, _store.Database.Now(), actor, modelName, previous, "alias-removed", alias, RegistryChanges.VersionText(previous), null, reason, ct).ConfigureAwait(false);
                await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Conflict when no version is in Production or when the production history has nothing below the current
    /// version. Writes two "rollback" audit entries: the current version Production→Archived and the restored
    /// version (its stage)→Production, both with <paramref name="reason"/>.
    /// </remarks>
    public async Task<ModelVersion> RollbackAsync(string modelName, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateActor(actor);

        return await WriteAsync(
            async (session, ct) =>
            {
                var modelId = await _statements.LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                var current = await RegistryStatements.ProductionVersionAsync(session, modelId, ct).ConfigureAwait(false)
                    ?? throw new RegistryException(
                        RegistryErrorKind.Conflict,
                        $"cannot roll back model '{modelName}': no version is in Production");

                var top = await RegistryStatements.HistoryTopAsync(session, modelId, 2, ct).ConfigureAwait(false);
                long? popId = null;
                if (top.Count > 0 && top[0].Version == current)
                {
                    popId = top[0].Id;
                    top.RemoveAt(0);
                }

                if (top.Count == 0 || top[0].Version == current)
                {
                    throw new RegistryException(
                        RegistryErrorKind.Conflict,
                        string.Create(CultureInfo.InvariantCulture, $"cannot roll back model '{modelName}': version {current} is in Production and there is no earlier Production version to return to"));
                }

                var target = top[0].Version;
                var targetStage = await RegistryStatements.RequireStageAsync(session, modelId, modelName, target, ct).ConfigureAwait(false);
                var now = _store.Database.Now();
                await _statements.SetStageAsync(session, modelId, current, ModelStage.Archived, now, ct).ConfigureAwait(false);
                await _statements.AuditAsync(session, now, actor, modelName, current, "rollback", null, nameof(ModelStage.Production), nameof(ModelStage.Archived), reason, ct).ConfigureAwait(false);
                await _statements.SetStageAsync(session, modelId, target, ModelStage.Production, now, ct).ConfigureAwait(false);
                await _statements.AuditAsync(session, now, actor, modelName, target, "rollback", null, targetStage.ToString(), nameof(ModelStage.Production), reason, ct).ConfigureAwait(false);
                if (popId is long id)
                {
                    await RegistryStatements.DeleteHistoryEntryAsync(session, id, ct).ConfigureAwait(false);
                }

                await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await _statements.RequireVersionAsync(session, modelName, target, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(string? modelName, int limit = 100, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateLimit(limit);
        if (modelName is not null)
        {
            RegistryNames.ValidateModelName(modelName);
        }

        return await ReadAsync(
            (session, ct) => _statements.ReadAuditAsync(session, modelName, limit, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A counter in the database moved by every write transaction (in commit order); no-ops leave it alone.</remarks>
    public async Task<long> GetChangeTokenAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _store.Database.WithConnectionAsync(
            async (session, ct) => await session.ScalarInt64Async("SELECT change_seq FROM registry_state WHERE id = 1", [], ct).ConfigureAwait(false) ?? 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Runs <c>SELECT 1</c> with a 5 s cap; any failure (unreachable, refused, timed out) is false.
    /// Cancelling <paramref name="cancellationToken"/> still throws. Does not create or migrate the schema.</remarks>
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => _store.Database.PingAsync(cancellationToken);

    /// <inheritdoc />
    public Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken = default) => _store.Database.CheckWritableAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _store.ReadAsync(work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction; any exception rolls everything back.</summary>
    private Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            work,
            // The locks the changes take make this unreachable in practice; the unique indexes are the backstop.
            e => new RegistryException(RegistryErrorKind.Conflict, "the change conflicts with a concurrent change; nothing was changed, retry", e),
            cancellationToken);
}
