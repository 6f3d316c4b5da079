using System.Globalization;
using System.Text.Json;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Registry;

/// <summary>The registry's SQL, statement by statement, for the unit-of-work bodies of <see cref="ModelRegistry"/>.</summary>
internal sealed class RegistryStatements(SqlDialect dialect)
{
    public const string VersionColumns =
        "v.version, v.stage, v.description, v.tags_json, v.metadata_json, v.package_sha256, v.package_size, v.created_at, v.created_by, v.auc";

    public const string AuditColumns = "id, at, actor, model_name, version, action, alias, from_value, to_value, reason";

    /// <summary>Locks the model's row for the rest of the transaction and returns its id; NotFound when unknown.</summary>
    public async Task<long> LockModelAsync(SqlSession session, string modelName, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            "SELECT id FROM registered_models WHERE name = @name" + dialect.LockRowsClause,
            [SqlArg.Text("@name", modelName)],
            cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{modelName}' does not exist");

    public static async Task<ModelStage> RequireStageAsync(SqlSession session, long modelId, string modelName, int version, CancellationToken cancellationToken)
    {
        var stage = await session.ScalarAsync(
            "SELECT stage FROM model_versions WHERE model_id = @id AND version = @version",
            [SqlArg.Long("@id", modelId), SqlArg.Int("@version", version)],
            cancellationToken).ConfigureAwait(false);
        return stage is string text
            ? Enum.Parse<ModelStage>(text)
            : throw new RegistryException(RegistryErrorKind.NotFound, string.Create(CultureInfo.InvariantCulture, $"model '{modelName}' has no version {version}"));
    }

    public static Task<int?> ProductionVersionAsync(SqlSession session, long modelId, CancellationToken cancellationToken) =>
        session.ScalarInt32Async(
            "SELECT version FROM model_versions WHERE model_id = @id AND stage = 'Production'",
            [SqlArg.Long("@id", modelId)],
            cancellationToken);

    public Task<int> SetStageAsync(SqlSession session, long modelId, int version, ModelStage stage, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "UPDATE model_versions SET stage = @stage, stage_changed_at = @now WHERE model_id = @id AND version = @version",
            [SqlArg.Text("@stage", stage.ToString()), dialect.TimeArg("@now", now), SqlArg.Long("@id", modelId), SqlArg.Int("@version", version)],
            cancellationToken);

    public static Task<List<(long Id, int Version)>> HistoryTopAsync(SqlSession session, long modelId, int count, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT id, version FROM production_history WHERE model_id = @id ORDER BY id DESC LIMIT @count",
            [SqlArg.Long("@id", modelId), SqlArg.Int("@count", count)],
            r => (r.GetInt64(0), r.GetInt32(1)),
            cancellationToken);

    public static Task<int> DeleteHistoryEntryAsync(SqlSession session, long id, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM production_history WHERE id = @id", [SqlArg.Long("@id", id)], cancellationToken);

    public Task<int> AuditAsync(
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
                dialect.TimeArg("@at", at), SqlArg.Text("@actor", actor), SqlArg.Text("@model", modelName), SqlArg.Int("@version", version),
                SqlArg.Text("@action", action), SqlArg.Text("@alias", alias), SqlArg.Text("@from", from), SqlArg.Text("@to", to),
                SqlArg.Text("@reason", reason),
            ],
            cancellationToken);

    /// <summary>Last statement of every write transaction, so the counter's row lock is held only until commit.</summary>
    public static Task<int> BumpChangeTokenAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE registry_state SET change_seq = change_seq + 1 WHERE id = 1", [], cancellationToken);

    public async Task<ModelVersion> RequireVersionAsync(SqlSession session, string modelName, int version, CancellationToken cancellationToken) =>
        await ReadVersionAsync(session, modelName, version, cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(RegistryErrorKind.NotFound, string.Create(CultureInfo.InvariantCulture, $"model '{modelName}' has no version {version}"));

    public async Task<ModelVersion?> ReadVersionAsync(SqlSession session, string modelName, int version, CancellationToken cancellationToken)
    {
        var versions = await ReadVersionsAsync(session, modelName, " AND v.version = @version", [SqlArg.Int("@version", version)], cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Versions of a model (newest first) matching an extra condition on <c>v</c>/<c>m</c>, with their aliases.</summary>
    public async Task<List<ModelVersion>> ReadVersionsAsync(SqlSession session, string modelName, string condition, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken)
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
                CreatedAt: dialect.ReadTime(r, 7),
                CreatedBy: r.GetString(8),
                Auc: r.IsDBNull(9) ? (double?)null : r.GetDouble(9)),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var aliasesByVersion = await AliasesByVersionAsync(session, modelName, cancellationToken).ConfigureAwait(false);

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
            row.CreatedBy)
        {
            Auc = row.Auc,
        });
    }

    /// <summary>What lists show of every version of a model, newest first: no metadata, no package.</summary>
    public async Task<List<ModelVersionSummary>> ReadSummariesAsync(SqlSession session, string modelName, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            """
            SELECT v.version, v.stage, v.description, v.tags_json, v.created_at, v.created_by,
                v.package_sha256, v.package_size, v.auc, v.stage_changed_at
            FROM model_versions v JOIN registered_models m ON m.id = v.model_id
            WHERE m.name = @name
            ORDER BY v.version DESC
            """,
            [SqlArg.Text("@name", modelName)],
            r => (
                Version: r.GetInt32(0),
                Stage: Enum.Parse<ModelStage>(r.GetString(1)),
                Description: r.IsDBNull(2) ? null : r.GetString(2),
                TagsJson: r.GetString(3),
                CreatedAt: dialect.ReadTime(r, 4),
                CreatedBy: r.GetString(5),
                Sha: r.GetString(6),
                Size: r.GetInt64(7),
                Auc: r.IsDBNull(8) ? (double?)null : r.GetDouble(8),
                StageChangedAt: dialect.ReadTime(r, 9)),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var aliasesByVersion = await AliasesByVersionAsync(session, modelName, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(row => new ModelVersionSummary(
            modelName,
            row.Version,
            row.Stage,
            aliasesByVersion.GetValueOrDefault(row.Version, []),
            row.Description,
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.TagsJson) ?? [],
            row.CreatedAt,
            row.CreatedBy,
            row.Sha,
            row.Size,
            row.Auc,
            row.StageChangedAt));
    }

    /// <summary>The aliases of a model's versions, each version's sorted ordinally.</summary>
    private static async Task<Dictionary<int, IReadOnlyList<string>>> AliasesByVersionAsync(SqlSession session, string modelName, CancellationToken cancellationToken)
    {
        var aliases = await session.QueryAsync(
            """
            SELECT a.alias, a.version FROM model_aliases a JOIN registered_models m ON m.id = a.model_id
            WHERE m.name = @name
            """,
            [SqlArg.Text("@name", modelName)],
            r => (Alias: r.GetString(0), Version: r.GetInt32(1)),
            cancellationToken).ConfigureAwait(false);
        return aliases
            .GroupBy(a => a.Version)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(a => a.Alias).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Creates the model on its first version, locks its row and takes the next version number (never reused).
    /// Registrations of a new model meet on the unique name, then on the row lock.
    /// </summary>
    public async Task<(long ModelId, int Version)> NextVersionAsync(SqlSession session, string modelName, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            """
            INSERT INTO registered_models (name, description, created_at, created_by, last_version)
            VALUES (@name, NULL, @now, @actor, 0)
            ON CONFLICT (name) DO NOTHING
            """,
            [SqlArg.Text("@name", modelName), dialect.TimeArg("@now", now), SqlArg.Text("@actor", actor)],
            cancellationToken).ConfigureAwait(false);

        var model = (await session.QueryAsync(
            "SELECT id, last_version FROM registered_models WHERE name = @name" + dialect.LockRowsClause,
            [SqlArg.Text("@name", modelName)],
            r => (Id: r.GetInt64(0), Last: r.GetInt32(1)),
            cancellationToken).ConfigureAwait(false)).Single();

        var version = model.Last + 1;
        await session.ExecuteAsync(
            "UPDATE registered_models SET last_version = @version WHERE id = @id",
            [SqlArg.Int("@version", version), SqlArg.Long("@id", model.Id)],
            cancellationToken).ConfigureAwait(false);
        return (model.Id, version);
    }

    /// <summary>Inserts a new version in stage None, with its projections (AUC, reference profile).</summary>
    public Task<int> InsertVersionAsync(
        SqlSession session,
        long modelId,
        int version,
        NewModelVersion request,
        string tagsJson,
        string sha256,
        double? auc,
        string? referenceProfileJson,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO model_versions (model_id, version, stage, description, tags_json, metadata_json,
                package, package_sha256, package_size, created_at, created_by, stage_changed_at, auc, reference_profile_json)
            VALUES (@id, @version, @stage, @description, @tags, @metadata,
                @package, @sha, @size, @now, @actor, @now, @auc, @profile)
            """,
            [
                SqlArg.Long("@id", modelId), SqlArg.Int("@version", version), SqlArg.Text("@stage", nameof(ModelStage.None)),
                SqlArg.Text("@description", request.Description), SqlArg.Text("@tags", tagsJson),
                SqlArg.Text("@metadata", request.MetadataJson), SqlArg.Bytes("@package", request.Package),
                SqlArg.Text("@sha", sha256), SqlArg.Long("@size", request.Package.LongLength),
                dialect.TimeArg("@now", now), SqlArg.Text("@actor", request.Actor),
                SqlArg.Double("@auc", auc), SqlArg.Text("@profile", referenceProfileJson),
            ],
            cancellationToken);

    /// <summary>Every model with its Production version, in the database's order.</summary>
    public Task<List<RegisteredModel>> ReadModelsAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            """
            SELECT m.name, m.description, m.created_at, m.last_version, p.version
            FROM registered_models m
            LEFT JOIN model_versions p ON p.model_id = m.id AND p.stage = 'Production'
            """,
            [],
            r => new RegisteredModel(
                r.GetString(0),
                r.IsDBNull(1) ? null : r.GetString(1),
                dialect.ReadTime(r, 2),
                r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetInt32(4)),
            cancellationToken);

    /// <summary>The newest <paramref name="limit"/> audit entries, of one model or all.</summary>
    public Task<List<AuditEntry>> ReadAuditAsync(SqlSession session, string? modelName, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync(
            modelName is null
                ? $"SELECT {AuditColumns} FROM registry_audit ORDER BY id DESC LIMIT @limit"
                : $"SELECT {AuditColumns} FROM registry_audit WHERE model_name = @name ORDER BY id DESC LIMIT @limit",
            [SqlArg.Text("@name", modelName), SqlArg.Int("@limit", limit)],
            r => new AuditEntry(
                r.GetInt64(0),
                dialect.ReadTime(r, 1),
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
            cancellationToken);
}
