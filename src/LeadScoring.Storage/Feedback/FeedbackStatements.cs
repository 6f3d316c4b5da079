using System.Data.Common;
using System.Text.Json;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Storage.Feedback;

/// <summary>The SQL of <see cref="FeedbackReader"/>: reads over the predictions and outcomes tables of one database.</summary>
internal sealed class FeedbackStatements(SqlDialect dialect)
{
    /// <summary>Lead ids per statement of <see cref="CountScoredAsync"/> (one JSON or array parameter, so no per-name binding cost).</summary>
    public const int IdsPerStatement = 50_000;

    private const string PredictionColumns =
        "p.id, p.request_id, p.lead_id, p.scored_at, p.model_name, p.model_version, p.arm, p.score, p.band, p.latency_us, p.features_json, p.shadow_model_version, p.shadow_score";

    private const int FirstOutcomeColumn = 13;

    private readonly bool _postgres = dialect is PostgresDialect;

    /// <summary>
    /// One page of first scores in the query's window, after <paramref name="after"/>, each with the outcome known
    /// at the query's KnownBy. A prediction is a lead's first when no matching prediction of the same lead in the
    /// window sorts before it by (scored_at, id); the page walks (scored_at, id) from the cursor, so each lead comes
    /// once across pages. The outcome is the current one when it was received by KnownBy, else the replaced version
    /// whose [received_at, replaced_at) holds KnownBy (versions' intervals do not overlap; the newest wins if the
    /// clock ever went back).
    /// </summary>
    public Task<List<LabelledPrediction>> ReadLabelledPageAsync(
        SqlSession session, LabelledQuery query, PredictionCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        var from = OutcomeValidation.ToStoredTime(query.ScoredFrom);
        // The cursor raises the lower bound, so the (scored_at, id) walk starts there.
        var walkFrom = after is not null && after.ScoredAt > from ? after.ScoredAt : from;
        List<SqlArg> args =
        [
            SqlArg.Text("@model", query.ModelName),
            dialect.TimeArg("@from", from),
            dialect.TimeArg("@walk_from", walkFrom),
            dialect.TimeArg("@to", OutcomeValidation.ToStoredTime(query.ScoredTo)),
            dialect.TimeArg("@known_by", OutcomeValidation.ToStoredTime(query.KnownBy)),
            SqlArg.Int("@limit", pageSize),
        ];
        var same = "{0}.model_name = @model";
        if (query.ModelVersion is int version)
        {
            same += " AND {0}.model_version = @version";
            args.Add(SqlArg.Int("@version", version));
        }

        if (query.Arm is not null)
        {
            same += " AND {0}.arm = @arm";
            args.Add(SqlArg.Text("@arm", query.Arm));
        }

        var cursor = "";
        if (after is not null)
        {
            cursor = "AND (p.scored_at > @after_at OR p.id > @after_id)";
            args.Add(dialect.TimeArg("@after_at", after.ScoredAt));
            args.Add(SqlArg.Long("@after_id", after.Id));
        }

        var labelledOnly = query.IncludeUnlabelled ? "" : "AND (c.lead_id IS NOT NULL OR h.id IS NOT NULL)";
        // SQLite has no statistics to go by and, left alone, sorted a whole model's window for every page: name the
        // indexes that walk (scored_at, id) in order (skipping other models' and versions' rows) and probe one lead's
        // scores.
        var walk = Indexed("ix_predictions_scored_at");
        var probe = Indexed("ix_predictions_lead");
        var sql = $"""
            SELECT {PredictionColumns},
                   c.converted, c.revenue, c.occurred_at, c.received_at, c.source,
                   h.converted, h.revenue, h.occurred_at, h.received_at, h.source
            FROM predictions p {walk}
            LEFT JOIN outcomes c ON c.lead_id = p.lead_id AND c.received_at <= @known_by
            LEFT JOIN outcome_history h ON h.id = (
                SELECT MAX(x.id) FROM outcome_history x
                WHERE x.lead_id = p.lead_id AND x.received_at <= @known_by AND x.replaced_at > @known_by)
            WHERE {string.Format(System.Globalization.CultureInfo.InvariantCulture, same, "p")}
              AND p.scored_at >= @walk_from AND p.scored_at < @to {cursor}
              AND NOT EXISTS (
                SELECT 1 FROM predictions e {probe}
                WHERE e.lead_id = p.lead_id AND {string.Format(System.Globalization.CultureInfo.InvariantCulture, same, "e")}
                  AND e.scored_at >= @from AND e.scored_at <= p.scored_at AND (e.scored_at < p.scored_at OR e.id < p.id))
              {labelledOnly}
            ORDER BY p.scored_at, p.id
            LIMIT @limit
            """;
        return session.QueryAsync(sql, args, ReadLabelled, cancellationToken);
    }

    /// <summary>
    /// Streams, for every outcome known at <paramref name="knownBy"/>: converted, revenue, occurred-at, and the
    /// lead's first scored-at at or before then (null when never scored by then).
    /// </summary>
    public async Task ReadKnownOutcomesAsync(
        SqlSession session, DateTimeOffset knownBy, Action<bool, double?, DateTimeOffset, DateTimeOffset?> row, CancellationToken cancellationToken)
    {
        var command = session.Command(
            """
            SELECT k.converted, k.revenue, k.occurred_at,
                   (SELECT MIN(p.scored_at) FROM predictions p WHERE p.lead_id = k.lead_id AND p.scored_at <= @known_by)
            FROM (
                SELECT lead_id, converted, revenue, occurred_at FROM outcomes WHERE received_at <= @known_by
                UNION ALL
                SELECT lead_id, converted, revenue, occurred_at FROM outcome_history WHERE received_at <= @known_by AND replaced_at > @known_by
            ) k
            """,
            [dialect.TimeArg("@known_by", OutcomeValidation.ToStoredTime(knownBy))]);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row(
                        reader.GetBoolean(0),
                        reader.IsDBNull(1) ? null : reader.GetDouble(1),
                        dialect.ReadTime(reader, 2),
                        reader.IsDBNull(3) ? null : dialect.ReadTime(reader, 3));
                }
            }
        }
    }

    /// <summary>How many of <paramref name="distinctIds"/> (no repeats) have at least one prediction.</summary>
    public async Task<long> CountScoredAsync(SqlSession session, string[] distinctIds, CancellationToken cancellationToken)
    {
        // One parameter holds every id (a PostgreSQL text[], a JSON array for SQLite's json_each): a statement with
        // thousands of named parameters binds in quadratic time on SQLite.
        const string Exists = "EXISTS (SELECT 1 FROM predictions p WHERE p.lead_id = ids.id)";
        if (_postgres)
        {
            var command = session.Command($"SELECT COUNT(*) FROM unnest(@ids) AS ids(id) WHERE {Exists}", []);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinctIds });
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return await session.ScalarInt64Async(
            $"SELECT COUNT(*) FROM (SELECT value AS id FROM json_each(@ids)) ids WHERE {Exists}",
            [SqlArg.Text("@ids", JsonSerializer.Serialize(distinctIds, FeedbackJsonContext.Default.StringArray))],
            cancellationToken).ConfigureAwait(false) ?? 0;
    }

    // PostgreSQL's planner has statistics and no INDEXED BY.
    private string Indexed(string index) => _postgres ? "" : "INDEXED BY " + index;

    private LabelledPrediction ReadLabelled(DbDataReader r)
    {
        var prediction = PredictionLog.ReadRow(r, dialect);
        var leadId = prediction.Record.LeadId;
        var outcome = ReadOutcome(r, leadId, FirstOutcomeColumn) ?? ReadOutcome(r, leadId, FirstOutcomeColumn + 5);
        return new LabelledPrediction(prediction, outcome);
    }

    // The five outcome columns from ordinal `first` on (converted, revenue, occurred_at, received_at, source); null when absent.
    private StoredOutcome? ReadOutcome(DbDataReader r, string leadId, int first) =>
        r.IsDBNull(first)
            ? null
            : new StoredOutcome(
                leadId,
                r.GetBoolean(first),
                r.IsDBNull(first + 1) ? null : r.GetDouble(first + 1),
                dialect.ReadTime(r, first + 2),
                dialect.ReadTime(r, first + 3),
                r.GetString(first + 4),
                null);
}

/// <summary>Source-generated JSON for the id lists handed to SQLite's json_each.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class FeedbackJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
