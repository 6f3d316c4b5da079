using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The registry's schema as numbered migrations (component 'registry'), written once with the placeholders of
/// <see cref="SqlTypes"/> that each dialect fills in. Never edit a released step: add one.
/// </summary>
internal static class RegistrySchema
{
    public const string Component = "registry";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            // One row; its counter moves in every write transaction (the change token). Updating it also
            // serializes the tail of concurrent write transactions, so the token grows in commit order.
            """
            CREATE TABLE registry_state (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                change_seq BIGINT NOT NULL)
            """,
            "INSERT INTO registry_state (id, change_seq) VALUES (1, 0)",
            types.Fill(
                """
                CREATE TABLE registered_models (
                    id {AutoId},
                    name TEXT NOT NULL UNIQUE,
                    description TEXT NULL,
                    created_at {Time} NOT NULL,
                    created_by TEXT NOT NULL,
                    last_version INTEGER NOT NULL DEFAULT 0)
                """),
            types.Fill(
                """
                CREATE TABLE model_versions (
                    model_id BIGINT NOT NULL REFERENCES registered_models (id),
                    version INTEGER NOT NULL,
                    stage TEXT NOT NULL CHECK (stage IN ('None', 'Staging', 'Production', 'Archived')),
                    description TEXT NULL,
                    tags_json TEXT NOT NULL,
                    metadata_json TEXT NOT NULL,
                    package {Blob} NOT NULL,
                    package_sha256 TEXT NOT NULL,
                    package_size BIGINT NOT NULL,
                    created_at {Time} NOT NULL,
                    created_by TEXT NOT NULL,
                    stage_changed_at {Time} NOT NULL,
                    PRIMARY KEY (model_id, version))
                """),
            // The database itself refuses a second Production version of a model.
            "CREATE UNIQUE INDEX ux_model_versions_one_production ON model_versions (model_id) WHERE stage = 'Production'",
            types.Fill(
                """
                CREATE TABLE model_aliases (
                    model_id BIGINT NOT NULL,
                    alias TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    updated_at {Time} NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (model_id, alias),
                    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version))
                """),
            "CREATE INDEX ix_model_aliases_version ON model_aliases (model_id, version)",
            types.Fill(
                """
                CREATE TABLE production_history (
                    id {AutoId},
                    model_id BIGINT NOT NULL,
                    version INTEGER NOT NULL,
                    promoted_at {Time} NOT NULL,
                    promoted_by TEXT NOT NULL,
                    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version))
                """),
            "CREATE INDEX ix_production_history_model ON production_history (model_id, id)",
            types.Fill(
                """
                CREATE TABLE registry_audit (
                    id {AutoId},
                    at {Time} NOT NULL,
                    actor TEXT NOT NULL,
                    model_name TEXT NOT NULL,
                    version INTEGER NULL,
                    action TEXT NOT NULL,
                    alias TEXT NULL,
                    from_value TEXT NULL,
                    to_value TEXT NULL,
                    reason TEXT NULL)
                """),
            "CREATE INDEX ix_registry_audit_model ON registry_audit (model_name, id)"),

        // v2: the projections lists and monitoring read without parsing metadata or unzipping packages.
        MigrationStep.SqlThenCode(
            [
                types.Fill("ALTER TABLE model_versions ADD COLUMN auc {Double} NULL"),
                "ALTER TABLE model_versions ADD COLUMN reference_profile_json TEXT NULL",
            ],
            BackfillProjectionsAsync),
    ];

    /// <summary>Fills the v2 columns of the versions registered before v2, one row at a time (packages can be large).</summary>
    private static async Task BackfillProjectionsAsync(SqlSession session, CancellationToken cancellationToken)
    {
        var keys = await session.QueryAsync(
            "SELECT model_id, version FROM model_versions",
            [],
            r => (ModelId: r.GetInt64(0), Version: r.GetInt32(1)),
            cancellationToken).ConfigureAwait(false);
        foreach (var (modelId, version) in keys)
        {
            var rows = await session.QueryAsync(
                "SELECT metadata_json, package FROM model_versions WHERE model_id = @id AND version = @version",
                [SqlArg.Long("@id", modelId), SqlArg.Int("@version", version)],
                r => (Metadata: r.GetString(0), Package: r.GetFieldValue<byte[]>(1)),
                cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(
                "UPDATE model_versions SET auc = @auc, reference_profile_json = @profile WHERE model_id = @id AND version = @version",
                [
                    SqlArg.Double("@auc", VersionProjections.AucFromMetadata(rows[0].Metadata)),
                    SqlArg.Text("@profile", VersionProjections.ReferenceProfileFromPackage(rows[0].Package)),
                    SqlArg.Long("@id", modelId),
                    SqlArg.Int("@version", version),
                ],
                cancellationToken).ConfigureAwait(false);
        }
    }
}
