using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The model registry over a SQL database: every rule and every statement lives here, and the two providers
/// (<see cref="SqliteModelRegistry"/>, <see cref="PostgresModelRegistry"/>) only say how to open a connection,
/// begin a transaction and spell a few column types.
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
public abstract class SqlModelRegistry : IModelRegistry, IAsyncDisposable
{
    private const string VersionColumns =
        "v.version, v.stage, v.description, v.tags_json, v.metadata_json, v.package_sha256, v.package_size, v.created_at, v.created_by";

    private const string AuditColumns = "id, at, actor, model_name, version, action, alias, from_value, to_value, reason";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly TimeProvider _time;
    private volatile bool _initialized;
    private volatile bool _disposed;

    private protected SqlModelRegistry(TimeProvider? timeProvider) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>Column types for the shared schema.</summary>
    private protected abstract SqlTypes Types { get; }

    /// <summary>Appended to the statement that locks a model's row inside a write transaction.</summary>
    private protected abstract string LockRowsClause { get; }

    private protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that holds the write lock it needs from its first statement on (no lock upgrades).</summary>
    private protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction that sees one consistent snapshot across several reads.</summary>
    private protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs once before migrating, outside any transaction (e.g. SQLite's journal mode).</summary>
    private protected virtual Task PrepareDatabaseAsync(SqlSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Inside the migration transaction: takes a lock so concurrent starters migrate one after the other.</summary>
    private protected virtual Task LockForMigrationAsync(SqlSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    private protected abstract SqlArg TimeArg(string name, DateTimeOffset value);

    private protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    private protected abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Releases the provider's resources (connection pools, data sources).</summary>
    private protected virtual ValueTask ReleaseProviderResourcesAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Creates or migrates the schema. Called on first use by every other method; call it at startup to fail
    /// early. Idempotent, and safe when several processes start together.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>The schema version of the registry in the database (0 before it is created).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            (session, ct) => CurrentSchemaVersionAsync(session, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestSchemaVersion => RegistrySchema.Steps(Types).Count;

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

        return await WriteAsync(
            async (session, ct) =>
            {
                var now = Now();
                await session.ExecuteAsync(
                    """
                    INSERT INTO registered_models (name, description, created_at, created_by, last_version)
                    VALUES (@name, NULL, @now, @actor, 0)
                    ON CONFLICT (name) DO NOTHING
                    """,
                    [SqlArg.Text("@name", request.ModelName), TimeArg("@now", now), SqlArg.Text("@actor", request.Actor)],
                    ct).ConfigureAwait(false);

                var model = (await session.QueryAsync(
                    "SELECT id, last_version FROM registered_models WHERE name = @name" + LockRowsClause,
                    [SqlArg.Text("@name", request.ModelName)],
                    r => (Id: r.GetInt64(0), Last: r.GetInt32(1)),
                    ct).ConfigureAwait(false)).Single();

                var version = model.Last + 1;
                await session.ExecuteAsync(
                    "UPDATE registered_models SET last_version = @version WHERE id = @id",
                    [SqlArg.Int("@version", version), SqlArg.Long("@id", model.Id)],
                    ct).ConfigureAwait(false);

                await session.ExecuteAsync(
                    """
                    INSERT INTO model_versions (model_id, version, stage, description, tags_json, metadata_json,
                        package, package_sha256, package_size, created_at, created_by, stage_changed_at)
                    VALUES (@id, @version, @stage, @description, @tags, @metadata,
                        @package, @sha, @size, @now, @actor, @now)
                    """,
                    [
                        SqlArg.Long("@id", model.Id), SqlArg.Int("@version", version), SqlArg.Text("@stage", nameof(ModelStage.None)),
                        SqlArg.Text("@description", request.Description), SqlArg.Text("@tags", tagsJson),
                        SqlArg.Text("@metadata", request.MetadataJson), SqlArg.Bytes("@package", request.Package),
                        SqlArg.Text("@sha", sha256), SqlArg.Long("@size", request.Package.LongLength),
                        TimeArg("@now", now), SqlArg.Text("@actor", request.Actor),
                    ],
                    ct).ConfigureAwait(false);

                await AuditAsync(session, now, request.Actor, request.ModelName, version, "register", null, null, nameof(ModelStage.None), request.Reason, ct).ConfigureAwait(false);
                await BumpChangeTokenAsync(session, ct).ConfigureAwait(false);

                return new ModelVersion(
                    request.ModelName, version, ModelStage.None, request.Description, new Dictionary<string, string>(tags, StringComparer.Ordinal),
                    [], request.MetadataJson, sha256, request.Package.LongLength, now, request.Actor);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await ReadAsync(
            (session, ct) => session.QueryAsync(
                """
                SELECT m.name, m.description, m.created_at, m.last_version, p.version
                FROM registered_models m
                LEFT JOIN model_versions p ON p.model_id = m.id AND p.stage = 'Production'
                """,
                [],
                r => new RegisteredModel(
                    r.GetString(0),
                    r.IsDBNull(1) ? null : r.GetString(1),
                    ReadTime(r, 2),
                    r.GetInt32(3),
                    r.IsDBNull(4) ? null : r.GetInt32(4)),
                ct),
            cancellationToken).ConfigureAwait(false);

        // Sorted here, not in SQL, so the order is ordinal on both providers whatever the database's collation.
        models.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return models;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        return await ReadAsync(
            (session, ct) => ReadVersionsAsync(session, modelName, "", [], ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetVersionAsync(string modelName, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateVersion(version);
        return await ReadAsync(
            (session, ct) => ReadVersionAsync(session, modelName, version, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetProductionAsync(string modelName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        var versions = await ReadAsync(
            (session, ct) => ReadVersionsAsync(session, modelName, " AND v.stage = 'Production'", [], ct),
            cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(modelName);
        RegistryNames.ValidateAlias(alias);
        var versions = await ReadAsync(
            (session, ct) => ReadVersionsAsync(
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
                var modelId = await LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                var current = await RequireStageAsync(session, modelId, modelName, version, ct).ConfigureAwait(false);
                if (current == stage)
                {
                    return await RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
                }

                var now = Now();
                if (stage == ModelStage.Production)
                {
                    var previous = await ProductionVersionAsync(session, modelId, ct).ConfigureAwait(false);
                    if (previous is int p)
                    {
                        await SetStageAsync(session, modelId, p, ModelStage.Archived, now, ct).ConfigureAwait(false);
                        await AuditAsync(session, now, actor, modelName, p, "stage", null, nameof(ModelStage.Production), nameof(ModelStage.Archived), reason, ct).ConfigureAwait(false);
                    }

                    await SetStageAsync(session, modelId, version, ModelStage.Production, now, ct).ConfigureAwait(false);
                    await AuditAsync(session, now, actor, modelName, version, "stage", null, current.ToString(), stage.ToString(), reason, ct).ConfigureAwait(false);
                    await session.ExecuteAsync(
                        "INSERT INTO production_history (model_id, version, promoted_at, promoted_by) VALUES (@id, @version, @now, @actor)",
                        [SqlArg.Long("@id", modelId), SqlArg.Int("@version", version), TimeArg("@now", now), SqlArg.Text("@actor", actor)],
                        ct).ConfigureAwait(false);
                }
                else
                {
                    await SetStageAsync(session, modelId, version, stage, now, ct).ConfigureAwait(false);
                    await AuditAsync(session, now, actor, modelName, version, "stage", null, current.ToString(), stage.ToString(), reason, ct).ConfigureAwait(false);
                    if (current == ModelStage.Production)
                    {
                        var top = await HistoryTopAsync(session, modelId, 1, ct).ConfigureAwait(false);
                        if (top.Count == 1 && top[0].Version == version)
                        {
                            await DeleteHistoryEntryAsync(session, top[0].Id, ct).ConfigureAwait(false);
                        }
                    }
                }

                await BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
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
                var modelId = await LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                await RequireStageAsync(session, modelId, modelName, version, ct).ConfigureAwait(false);
                var previous = await session.ScalarInt32Async(
                    "SELECT version FROM model_aliases WHERE model_id = @id AND alias = @alias",
                    [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias)],
                    ct).ConfigureAwait(false);
                if (previous == version)
                {
                    return await RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
                }

                var now = Now();
                await session.ExecuteAsync(
                    """
                    INSERT INTO model_aliases (model_id, alias, version, updated_at, updated_by)
                    VALUES (@id, @alias, @version, @now, @actor)
                    ON CONFLICT (model_id, alias) DO UPDATE
                    SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """,
                    [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias), SqlArg.Int("@version", version), TimeArg("@now", now), SqlArg.Text("@actor", actor)],
                    ct).ConfigureAwait(false);
                await AuditAsync(session, now, actor, modelName, version, "alias-set", alias, VersionText(previous), VersionText(version), reason, ct).ConfigureAwait(false);
                await BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireVersionAsync(session, modelName, version, ct).ConfigureAwait(false);
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
                var modelId = await LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                var previous = await session.ScalarInt32Async(
                    "DELETE FROM model_aliases WHERE model_id = @id AND alias = @alias RETURNING version",
                    [SqlArg.Long("@id", modelId), SqlArg.Text("@alias", alias)],
                    ct).ConfigureAwait(false);
                if (previous is null)
                {
                    return false;
                }

                await AuditAsync(session, Now(), actor, modelName, previous, "alias-removed", alias, VersionText(previous), null, reason, ct).ConfigureAwait(false);
                await BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
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
                var modelId = await LockModelAsync(session, modelName, ct).ConfigureAwait(false);
                var current = await ProductionVersionAsync(session, modelId, ct).ConfigureAwait(false)
                    ?? throw new RegistryException(
                        RegistryErrorKind.Conflict,
                        $"cannot roll back model '{modelName}': no version is in Production");

                var top = await HistoryTopAsync(session, modelId, 2, ct).ConfigureAwait(false);
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
                var targetStage = await RequireStageAsync(session, modelId, modelName, target, ct).ConfigureAwait(false);
                var now = Now();
                await SetStageAsync(session, modelId, current, ModelStage.Archived, now, ct).ConfigureAwait(false);
                await AuditAsync(session, now, actor, modelName, current, "rollback", null, nameof(ModelStage.Production), nameof(ModelStage.Archived), reason, ct).ConfigureAwait(false);
                await SetStageAsync(session, modelId, target, ModelStage.Production, now, ct).ConfigureAwait(false);
                await AuditAsync(session, now, actor, modelName, target, "rollback", null, targetStage.ToString(), nameof(ModelStage.Production), reason, ct).ConfigureAwait(false);
                if (popId is long id)
                {
                    await DeleteHistoryEntryAsync(session, id, ct).ConfigureAwait(false);
                }

                await BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireVersionAsync(session, modelName, target, ct).ConfigureAwait(false);
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
            (session, ct) => session.QueryAsync(
                modelName is null
                    ? $"SELECT {AuditColumns} FROM registry_audit ORDER BY id DESC LIMIT @limit"
                    : $"SELECT {AuditColumns} FROM registry_audit WHERE model_name = @name ORDER BY id DESC LIMIT @limit",
                [SqlArg.Text("@name", modelName), SqlArg.Int("@limit", limit)],
                r => new AuditEntry(
                    r.GetInt64(0),
                    ReadTime(r, 1),
                    r.GetString(2),
                    r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetInt32(4),
                    r.GetString(5),
                    r.IsDBNull(7) ? null : r.GetString(7),
                    r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetString(9))
                {
                    Alias = r.IsDBNull(6) ? null : r.GetString(6),
                },
                ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A counter in the database moved by every write transaction (in commit order); no-ops leave it alone.</remarks>
    public async Task<long> GetChangeTokenAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            async (session, ct) => await session.ScalarInt64Async("SELECT change_seq FROM registry_state WHERE id = 1", [], ct).ConfigureAwait(false) ?? 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Runs <c>SELECT 1</c> with a 5 s cap; any failure (unreachable, refused, timed out) is false.
    /// Cancelling <paramref name="cancellationToken"/> still throws.</remarks>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            var one = await WithConnectionAsync(
                (session, ct) => session.ScalarInt64Async("SELECT 1", [], ct),
                timeout.Token).ConfigureAwait(false);
            return one == 1;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await ReleaseProviderResourcesAsync().ConfigureAwait(false);
        _initLock.Dispose();
        GC.SuppressFinalize(this);
    }

    private DateTimeOffset Now()
    {
        // Microsecond precision: what PostgreSQL keeps, so both providers hand back the same instant.
        var ticks = _time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private static string? VersionText(int? version) => version?.ToString(CultureInfo.InvariantCulture);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await PrepareDatabaseAsync(new SqlSession(connection, null), cancellationToken).ConfigureAwait(false);
            var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var session = new SqlSession(connection, transaction);
                await LockForMigrationAsync(session, cancellationToken).ConfigureAwait(false);
                await session.ExecuteAsync(RegistrySchema.SchemaVersionsTable(Types), [], cancellationToken).ConfigureAwait(false);
                var current = await CurrentSchemaVersionAsync(session, cancellationToken).ConfigureAwait(false);
                var steps = RegistrySchema.Steps(Types);
                if (current > steps.Count)
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The registry schema in the database is version {current}, newer than this build knows ({steps.Count}); upgrade the application."));
                }

                for (var version = current + 1; version <= steps.Count; version++)
                {
                    foreach (var statement in steps[version - 1])
                    {
                        await session.ExecuteAsync(statement, [], cancellationToken).ConfigureAwait(false);
                    }

                    await session.ExecuteAsync(
                        "INSERT INTO schema_versions (component, version, applied_at) VALUES (@component, @version, @now)",
                        [SqlArg.Text("@component", RegistrySchema.Component), SqlArg.Int("@version", version), TimeArg("@now", Now())],
                        cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> CurrentSchemaVersionAsync(SqlSession session, CancellationToken cancellationToken) =>
        await session.ScalarInt32Async(
            "SELECT MAX(version) FROM schema_versions WHERE component = @component",
            [SqlArg.Text("@component", RegistrySchema.Component)],
            cancellationToken).ConfigureAwait(false) ?? 0;

    private async Task<T> WithConnectionAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(new SqlSession(connection, null), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(new SqlSession(connection, transaction), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction; any exception rolls everything back.</summary>
    private async Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    var result = await work(new SqlSession(connection, transaction), cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch (DbException ex) when (IsUniqueViolation(ex))
                {
                    // The locks taken above make this unreachable in practice; the unique indexes are the backstop.
                    throw new RegistryException(RegistryErrorKind.Conflict, "the change conflicts with a concurrent change; nothing was changed, retry", ex);
                }
            }
        }
    }

    /// <summary>Locks the model's row for the rest of the transaction and returns its id; NotFound when unknown.</summary>
    private async Task<long> LockModelAsync(SqlSession session, string modelName, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            "SELECT id FROM registered_models WHERE name = @name" + LockRowsClause,
            [SqlArg.Text("@name", modelName)],
            cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{modelName}' does not exist");

    private static async Task<ModelStage> RequireStageAsync(SqlSession session, long modelId, string modelName, int version, CancellationToken cancellationToken)
    {
        var stage = await session.ScalarAsync(
            "SELECT stage FROM model_versions WHERE model_id = @id AND version = @version",
            [SqlArg.Long("@id", modelId), SqlArg.Int("@version", version)],
            cancellationToken).ConfigureAwait(false);
        return stage is string text
            ? Enum.Parse<ModelStage>(text)
            : throw new RegistryException(RegistryErrorKind.NotFound, string.Create(CultureInfo.InvariantCulture, $"model '{modelName}' has no version {version}"));
    }

    private static Task<int?> ProductionVersionAsync(SqlSession session, long modelId, CancellationToken cancellationToken) =>
        session.ScalarInt32Async(
            "SELECT version FROM model_versions WHERE model_id = @id AND stage = 'Production'",
            [SqlArg.Long("@id", modelId)],
            cancellationToken);

    private Task<int> SetStageAsync(SqlSession session, long modelId, int version, ModelStage stage, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "UPDATE model_versions SET stage = @stage, stage_changed_at = @now WHERE model_id = @id AND version = @version",
            [SqlArg.Text("@stage", stage.ToString()), TimeArg("@now", now), SqlArg.Long("@id", modelId), SqlArg.Int("@version", version)],
            cancellationToken);

    private static Task<List<(long Id, int Version)>> HistoryTopAsync(SqlSession session, long modelId, int count, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT id, version FROM production_history WHERE model_id = @id ORDER BY id DESC LIMIT @count",
            [SqlArg.Long("@id", modelId), SqlArg.Int("@count", count)],
            r => (r.GetInt64(0), r.GetInt32(1)),
            cancellationToken);

    private static Task<int> DeleteHistoryEntryAsync(SqlSession session, long id, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM production_history WHERE id = @id", [SqlArg.Long("@id", id)], cancellationToken);

    private Task<int> AuditAsync(
        SqlSession session,
        DateTimeOffset at,
        string actor,
        string modelName,
        int? version,
        string action,
        string? alias,
        string? from,
        string? to,
        string? reason,
        CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO registry_audit (at, actor, model_name, version, action, alias, from_value, to_value, reason)
            VALUES (@at, @actor, @model, @version, @action, @alias, @from, @to, @reason)
            """,
            [
                TimeArg("@at", at), SqlArg.Text("@actor", actor), SqlArg.Text("@model", modelName), SqlArg.Int("@version", version),
                SqlArg.Text("@action", action), SqlArg.Text("@alias", alias), SqlArg.Text("@from", from), SqlArg.Text("@to", to),
                SqlArg.Text("@reason", reason),
            ],
            cancellationToken);

    /// <summary>Last statement of every write transaction, so the counter's row lock is held only until commit.</summary>
    private static Task<int> BumpChangeTokenAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE registry_state SET change_seq = change_seq + 1 WHERE id = 1", [], cancellationToken);

    private async Task<ModelVersion> RequireVersionAsync(SqlSession session, string modelName, int version, CancellationToken cancellationToken) =>
        await ReadVersionAsync(session, modelName, version, cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(RegistryErrorKind.NotFound, string.Create(CultureInfo.InvariantCulture, $"model '{modelName}' has no version {version}"));

    private async Task<ModelVersion?> ReadVersionAsync(SqlSession session, string modelName, int version, CancellationToken cancellationToken)
    {
        var versions = await ReadVersionsAsync(session, modelName, " AND v.version = @version", [SqlArg.Int("@version", version)], cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Versions of a model (newest first) matching an extra condition on <c>v</c>/<c>m</c>, with their aliases.</summary>
    private async Task<List<ModelVersion>> ReadVersionsAsync(SqlSession session, string modelName, string condition, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
    {
        List<SqlArg> all = [SqlArg.Text("@name", modelName), .. args];
        var rows = await session.QueryAsync(
            $"""
            SELECT {VersionColumns}
            FROM model_versions v JOIN registered_models m ON m.id = v.model_id
            WHERE m.name = @name{condition}
            ORDER BY v.version DESC
            """,
            all,
            r => (
                Version: r.GetInt32(0),
                Stage: Enum.Parse<ModelStage>(r.GetString(1)),
                Description: r.IsDBNull(2) ? null : r.GetString(2),
                TagsJson: r.GetString(3),
                MetadataJson: r.GetString(4),
                Sha: r.GetString(5),
                Size: r.GetInt64(6),
                CreatedAt: ReadTime(r, 7),
                CreatedBy: r.GetString(8)),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var aliases = await session.QueryAsync(
            """
            SELECT a.alias, a.version FROM model_aliases a JOIN registered_models m ON m.id = a.model_id
            WHERE m.name = @name
            """,
            [SqlArg.Text("@name", modelName)],
            r => (Alias: r.GetString(0), Version: r.GetInt32(1)),
            cancellationToken).ConfigureAwait(false);
        var aliasesByVersion = aliases
            .GroupBy(a => a.Version)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(a => a.Alias).Order(StringComparer.Ordinal)]);

        return rows.ConvertAll(row => new ModelVersion(
            modelName,
            row.Version,
            row.Stage,
            row.Description,
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.TagsJson) ?? [],
            aliasesByVersion.GetValueOrDefault(row.Version, []),
            row.MetadataJson,
            row.Sha,
            row.Size,
            row.CreatedAt,
            row.CreatedBy));
    }
}
