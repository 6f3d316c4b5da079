namespace LeadScoring.Storage.Registry;

/// <summary>The column types that differ between the providers; everything else in the schema is shared.</summary>
/// <param name="AutoId">An auto-numbered 64-bit primary key column (never reusing numbers).</param>
/// <param name="Blob">A byte array column.</param>
/// <param name="Time">A UTC timestamp column.</param>
internal sealed record SqlTypes(string AutoId, string Blob, string Time);

/// <summary>
/// The registry's schema as numbered migrations, written once with <c>{AutoId}</c>, <c>{Blob}</c> and <c>{Time}</c>
/// placeholders that each provider fills in. Applied in order under a lock; each applied step is a row in
/// <c>schema_versions</c> (component 'registry'), so applying is idempotent. Never edit a released step: add one.
/// </summary>
internal static class RegistrySchema
{
    public const string Component = "registry";

    public static string SchemaVersionsTable(SqlTypes types) => Fill(
        """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component TEXT NOT NULL,
            version INTEGER NOT NULL,
            applied_at {Time} NOT NULL,
            PRIMARY KEY (component, version))
        """,
        types);

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Steps(SqlTypes types) =>
    [
        [
            // One row; its counter moves in every write transaction (the change token). Updating it also
            // serializes the tail of concurrent write transactions, so the token grows in commit order.
            """
            CREATE TABLE registry_state (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                change_seq BIGINT NOT NULL)
            """,
            "INSERT INTO registry_state (id, change_seq) VALUES (1, 0)",
            Fill(
                """
                CREATE TABLE registered_models (
                    id {AutoId},
                    name TEXT NOT NULL UNIQUE,
                    description TEXT NULL,
                    created_at {Time} NOT NULL,
                    created_by TEXT NOT NULL,
                    last_version INTEGER NOT NULL DEFAULT 0)
                """,
                types),
            Fill(
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
                """,
                types),
            // The database itself refuses a second Production version of a model.
            "CREATE UNIQUE INDEX ux_model_versions_one_production ON model_versions (model_id) WHERE stage = 'Production'",
            Fill(
                """
                CREATE TABLE model_aliases (
                    model_id BIGINT NOT NULL,
                    alias TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    updated_at {Time} NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (model_id, alias),
                    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version))
                """,
                types),
            "CREATE INDEX ix_model_aliases_version ON model_aliases (model_id, version)",
            Fill(
                """
                CREATE TABLE production_history (
                    id {AutoId},
                    model_id BIGINT NOT NULL,
                    version INTEGER NOT NULL,
                    promoted_at {Time} NOT NULL,
                    promoted_by TEXT NOT NULL,
                    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version))
                """,
                types),
            "CREATE INDEX ix_production_history_model ON production_history (model_id, id)",
            Fill(
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
                """,
                types),
            "CREATE INDEX ix_registry_audit_model ON registry_audit (model_name, id)",
        ],
    ];

    private static string Fill(string sql, SqlTypes types) => sql
        .Replace("{AutoId}", types.AutoId, StringComparison.Ordinal)
        .Replace("{Blob}", types.Blob, StringComparison.Ordinal)
        .Replace("{Time}", types.Time, StringComparison.Ordinal);
}
