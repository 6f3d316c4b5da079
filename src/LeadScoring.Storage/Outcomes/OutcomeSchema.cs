using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Outcomes;

/// <summary>
/// The outcomes' schema as numbered migrations (component 'outcomes'), beside the prediction log in one database
/// so that the join of scores and outcomes is one query. Never edit a released step: add one.
/// </summary>
internal static class OutcomeSchema
{
    public const string Component = "outcomes";

    /// <summary>Migration steps: index 0 is version 1.</summary>
    public static IReadOnlyList<MigrationStep> Steps(SqlTypes types) =>
    [
        MigrationStep.Sql(
            // One row that every outcome write locks first: writes are serialized, so a replacement always moves
            // the version it replaces into the history (SQLite's write lock already does this; PostgreSQL needs it).
            "CREATE TABLE outcome_writer (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1))",
            "INSERT INTO outcome_writer (id) VALUES (1)",
            // The current outcome of each lead; the primary key is the lead id index the join with predictions uses.
            types.Fill(
                """
                CREATE TABLE outcomes (
                    lead_id TEXT NOT NULL PRIMARY KEY,
                    converted BOOLEAN NOT NULL,
                    revenue {Double} NULL CHECK (revenue IS NULL OR (converted AND revenue >= 0)),
                    occurred_at {Time} NOT NULL,
                    received_at {Time} NOT NULL,
                    source TEXT NOT NULL)
                """),
            "CREATE INDEX ix_outcomes_occurred_at ON outcomes (occurred_at)",
            // Every replaced version, with when it was replaced: the version a lead had at time T is the one with
            // received_at <= T < replaced_at (or the current one when received_at <= T).
            types.Fill(
                """
                CREATE TABLE outcome_history (
                    id {AutoId},
                    lead_id TEXT NOT NULL,
                    converted BOOLEAN NOT NULL,
                    revenue {Double} NULL CHECK (revenue IS NULL OR (converted AND revenue >= 0)),
                    occurred_at {Time} NOT NULL,
                    received_at {Time} NOT NULL,
                    source TEXT NOT NULL,
                    replaced_at {Time} NOT NULL)
                """),
            "CREATE INDEX ix_outcome_history_lead ON outcome_history (lead_id, id)"),
    ];
}
