using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// The monitoring runs' schema as numbered migrations (component 'monitoring'), in the prediction log's database so
/// a run sits beside the rows it was computed from. Never edit a released step: add one.
/// </summary>
internal static class MonitoringSchema
{
    public const string Component = "monitoring";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            types.Fill(
                """
                CREATE TABLE monitoring_runs (
                    id {AutoId},
                    kind TEXT NOT NULL,
                    model_name TEXT NOT NULL,
                    model_version INTEGER NULL,
                    arm TEXT NULL,
                    window_from {Time} NOT NULL,
                    window_to {Time} NOT NULL,
                    started_at {Time} NOT NULL,
                    finished_at {Time} NOT NULL,
                    status TEXT NOT NULL,
                    summary_json TEXT NOT NULL,
                    report_path TEXT NULL)
                """),
            // Listing a model's runs and plotting its series both walk one model's runs by window.
            "CREATE INDEX ix_monitoring_runs_model ON monitoring_runs (model_name, window_to, id)",
            types.Fill(
                """
                CREATE TABLE monitoring_figures (
                    run_id BIGINT NOT NULL REFERENCES monitoring_runs (id) ON DELETE CASCADE,
                    metric TEXT NOT NULL,
                    feature TEXT NULL,
                    value {Double} NOT NULL,
                    p_value {Double} NULL,
                    verdict TEXT NULL)
                """),
            "CREATE INDEX ix_monitoring_figures_run ON monitoring_figures (run_id, metric, feature)"),
    ];
}
