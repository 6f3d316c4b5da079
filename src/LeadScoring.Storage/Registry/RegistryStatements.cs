using System.Globalization;
using System.Text.Json;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Registry;

/// <summary>The registry's SQL, statement by statement, for the unit-of-work bodies of <see cref="ModelRegistry"/>.</summary>
internal sealed class RegistryStatements(SqlDialect dialect)
{
    public const string VersionColumns =
        "v.version, v.stage, v.description, v.tags_json, v.metadata_json, v.package_sha256, v.package_size, v.created_at, v.created_by";

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
                CreatedBy: r.GetString(8)),
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
            row.CreatedBy));
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
}
