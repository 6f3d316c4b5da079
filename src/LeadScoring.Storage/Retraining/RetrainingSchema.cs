using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Retraining;

/// <summary>
/// The retraining runs' schema as numbered migrations (component 'retraining'), in the registry's database (SQLite
/// <c>leadscoring.db</c>, or the shared PostgreSQL database), beside the deployments that carry a candidate online.
/// Never edit a released step: add one.
/// </summary>
internal static class RetrainingSchema
{
    public const string Component = "retraining";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            // "trigger" is a keyword in both databases: the column is trigger_kind.
            types.Fill(
                """
                CREATE TABLE retraining_runs (
                    id {AutoId},
                    model_name TEXT NOT NULL,
                    trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('manual', 'drift', 'schedule')),
                    trigger_detail TEXT NULL,
                    requested_by TEXT NOT NULL,
                    reason TEXT NULL,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'preparing_data', 'searching', 'training', 'gating', 'staged', 'shadow',
                        'canary', 'awaiting_approval', 'promoted', 'insufficient_data', 'gate_failed', 'rolled_back', 'rejected', 'failed', 'cancelled')),
                    status_detail TEXT NULL,
                    options_json TEXT NOT NULL,
                    data_json TEXT NULL,
                    search_json TEXT NULL,
                    gate_json TEXT NULL,
                    candidate_version INTEGER NULL,
                    deployment_id BIGINT NULL,
                    created_at {Time} NOT NULL,
                    updated_at {Time} NOT NULL,
                    started_at {Time} NULL,
                    ended_at {Time} NULL,
                    claimed_by TEXT NULL,
                    claimed_until {Time} NULL)
                """),
            // The database itself refuses a second unfinished run of a model, so two replicas' triggers racing
            // leave one run (the list is the terminal statuses).
            """
            CREATE UNIQUE INDEX ux_retraining_runs_one_unfinished ON retraining_runs (model_name)
            WHERE status NOT IN ('promoted', 'insufficient_data', 'gate_failed', 'rolled_back', 'rejected', 'failed', 'cancelled')
            """,
            "CREATE INDEX ix_retraining_runs_model ON retraining_runs (model_name, id)",
            "CREATE INDEX ix_retraining_runs_status ON retraining_runs (status, id)",
            types.Fill(
                """
                CREATE TABLE retraining_events (
                    id {AutoId},
                    run_id BIGINT NOT NULL REFERENCES retraining_runs (id),
                    at {Time} NOT NULL,
                    step TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    detail TEXT NULL)
                """),
            "CREATE INDEX ix_retraining_events_run ON retraining_events (run_id, id)",
            // One row per trial number: a worker that re-sends a trial (after a retry or a restart) replaces it.
            types.Fill(
                """
                CREATE TABLE retraining_trials (
                    run_id BIGINT NOT NULL REFERENCES retraining_runs (id),
                    number INTEGER NOT NULL,
                    learner TEXT NOT NULL,
                    parameters_json TEXT NOT NULL,
                    fold_scores_json TEXT NOT NULL,
                    mean_score {Double} NULL,
                    latest_fold_score {Double} NULL,
                    status TEXT NOT NULL,
                    error TEXT NULL,
                    duration_ms {Double} NOT NULL,
                    PRIMARY KEY (run_id, number))
                """)),
    ];
}
