using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Deployments;

/// <summary>
/// The deployments' schema as numbered migrations (component 'deployments'), in the registry's database (SQLite
/// <c>leadscoring.db</c>, or the shared PostgreSQL database), because an approval promotes in the registry in the
/// same transaction. Never edit a released step: add one.
/// </summary>
internal static class DeploymentSchema
{
    public const string Component = "deployments";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            // One row; its counter moves in every transaction that changes a deployment (the change token replicas
            // poll), as the transaction's last statement, so it grows in commit order.
            """
            CREATE TABLE deployment_changes (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                change_seq BIGINT NOT NULL)
            """,
            "INSERT INTO deployment_changes (id, change_seq) VALUES (1, 0)",
            types.Fill(
                """
                CREATE TABLE deployments (
                    id {AutoId},
                    model_name TEXT NOT NULL,
                    champion_version INTEGER NOT NULL,
                    challenger_version INTEGER NULL,
                    mode TEXT NOT NULL CHECK (mode IN ('single', 'shadow', 'ab', 'canary')),
                    share {Double} NOT NULL,
                    steps_json TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    step_started_at {Time} NOT NULL,
                    auto_promote INTEGER NOT NULL,
                    salt TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'completed', 'rolled_back', 'aborted')),
                    reason TEXT NULL,
                    created_at {Time} NOT NULL,
                    created_by TEXT NOT NULL,
                    updated_at {Time} NOT NULL,
                    ended_at {Time} NULL)
                """),
            // The database itself refuses a second active deployment of a model.
            "CREATE UNIQUE INDEX ux_deployments_one_active ON deployments (model_name) WHERE state = 'active'",
            "CREATE INDEX ix_deployments_model ON deployments (model_name, id)",
            types.Fill(
                """
                CREATE TABLE deployment_events (
                    id {AutoId},
                    deployment_id BIGINT NOT NULL REFERENCES deployments (id),
                    at {Time} NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    reason TEXT NULL,
                    figures_json TEXT NULL)
                """),
            "CREATE INDEX ix_deployment_events_deployment ON deployment_events (deployment_id, id)",
            types.Fill(
                """
                CREATE TABLE deployment_alerts (
                    id {AutoId},
                    deployment_id BIGINT NOT NULL REFERENCES deployments (id),
                    at {Time} NOT NULL,
                    level TEXT NOT NULL CHECK (level IN ('critical', 'warning', 'info')),
                    kind TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    figures_json TEXT NULL,
                    delivered_at {Time} NULL)
                """),
            // One row per replica, arm and minute: each replica upserts its own counters, readers merge.
            types.Fill(
                """
                CREATE TABLE deployment_arm_minutes (
                    deployment_id BIGINT NOT NULL,
                    arm TEXT NOT NULL,
                    minute {Time} NOT NULL,
                    replica TEXT NOT NULL,
                    requests BIGINT NOT NULL,
                    errors BIGINT NOT NULL,
                    latency_buckets TEXT NOT NULL,
                    PRIMARY KEY (deployment_id, minute, arm, replica))
                """),
            types.Fill(
                """
                CREATE TABLE store_leases (
                    name TEXT NOT NULL PRIMARY KEY,
                    owner TEXT NOT NULL,
                    acquired_at {Time} NOT NULL,
                    expires_at {Time} NOT NULL)
                """)),
    ];
}
