using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// The prediction log's schema as numbered migrations (component 'predictions'). Its own table, so logging never
/// touches the registry's rows or change token; on SQLite it is in its own file too. Never edit a released step: add one.
/// </summary>
internal static class PredictionSchema
{
    public const string Component = "predictions";

    /// <summary>The columns a bulk writer fills, in order (everything but the auto-numbered id).</summary>
    public static IReadOnlyList<string> InsertColumns { get; } =
    [
        "request_id", "lead_id", "scored_at", "model_name", "model_version", "arm", "score", "band", "latency_us",
        "features_json", "shadow_model_version", "shadow_score",
    ];

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            types.Fill(
                """
                CREATE TABLE predictions (
                    id {AutoId},
                    request_id TEXT NOT NULL,
                    lead_id TEXT NOT NULL,
                    scored_at {Time} NOT NULL,
                    model_name TEXT NOT NULL,
                    model_version INTEGER NOT NULL,
                    arm TEXT NOT NULL,
                    score {Double} NOT NULL,
                    band TEXT NOT NULL,
                    latency_us BIGINT NOT NULL,
                    features_json TEXT NOT NULL,
                    shadow_model_version INTEGER NULL,
                    shadow_score {Double} NULL)
                """),
            // Lead history; time windows and retention; monitoring, replay and export of one model version. Each
            // ends in id, the tie-breaker of the (scored_at, id) keyset that pages range reads.
            "CREATE INDEX ix_predictions_lead ON predictions (lead_id, scored_at, id)",
            "CREATE INDEX ix_predictions_scored_at ON predictions (scored_at, id)",
            "CREATE INDEX ix_predictions_model ON predictions (model_name, model_version, scored_at, id)"),
        // Every scored lead pays for every index on the request path, and a model's window is read an hour at a time:
        // a window walks (scored_at, id) and skips the few other versions' rows (a champion and a challenger) rather
        // than keeping a third index for them. Dropping it cut the SQLite writer's work per row by about a fifth.
        MigrationStep.Sql("DROP INDEX IF EXISTS ix_predictions_model"),
    ];
}
