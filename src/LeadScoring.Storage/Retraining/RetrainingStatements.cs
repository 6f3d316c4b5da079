using System.Data.Common;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Retraining;

/// <summary>The retraining runs' SQL, statement by statement, for the unit-of-work bodies of <see cref="RetrainingStore"/>.</summary>
internal sealed class RetrainingStatements(SqlDialect dialect)
{
    private const string Columns =
        "id, model_name, trigger_kind, trigger_detail, requested_by, reason, status, status_detail, options_json, data_json, search_json, gate_json, "
        + "candidate_version, deployment_id, created_at, updated_at, started_at, ended_at, claimed_by, claimed_until";

    private const string EventColumns = "id, run_id, at, step, actor, detail";

    private const string TrialColumns =
        "run_id, number, learner, parameters_json, fold_scores_json, mean_score, latest_fold_score, status, error, duration_ms";

    private static readonly string Unfinished = "status NOT IN " + RetrainingNames.TerminalSqlList;

    // A claim takes a queued run or a working one (its worker died), whose claim is free or expired.
    private static readonly string Claimable = "status IN " + RetrainingNames.ClaimableSqlList + " AND (claimed_until IS NULL OR claimed_until <= @now)";

    // PostgreSQL: claimers skip a run another claimer has locked instead of waiting for it and then finding it
    // taken. SQLite has no row locks (and needs none: BEGIN IMMEDIATE already serialises writers).
    private readonly string _skipLocked = dialect.LockRowsClause.Length == 0 ? "" : dialect.LockRowsClause + " SKIP LOCKED";

    /// <summary>"status NOT IN (terminal …)": the condition of an unfinished run.</summary>
    public static string UnfinishedCondition => Unfinished;

    /// <summary>The model's unfinished run's id, its row locked for the rest of a write transaction (PostgreSQL).</summary>
    public Task<long?> UnfinishedIdAsync(SqlSession session, string modelName, CancellationToken cancellationToken) =>
        session.ScalarInt64Async(
            $"SELECT id FROM retraining_runs WHERE model_name = @name AND {Unfinished}" + dialect.LockRowsClause,
            [SqlArg.Text("@name", modelName)],
            cancellationToken);

    public async Task<long> InsertAsync(SqlSession session, NewRetrainingRun run, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            """
            INSERT INTO retraining_runs (model_name, trigger_kind, trigger_detail, requested_by, reason, status, status_detail, options_json,
                data_json, search_json, gate_json, candidate_version, deployment_id, created_at, updated_at, started_at, ended_at, claimed_by, claimed_until)
            VALUES (@name, @trigger, @detail, @by, @reason, 'queued', NULL, @options,
                NULL, NULL, NULL, NULL, NULL, @now, @now, NULL, NULL, NULL, NULL)
            RETURNING id
            """,
            [
                SqlArg.Text("@name", run.ModelName), SqlArg.Text("@trigger", RetrainingNames.Of(run.Trigger)), SqlArg.Text("@detail", run.TriggerDetail),
                SqlArg.Text("@by", run.RequestedBy), SqlArg.Text("@reason", run.Reason), SqlArg.Text("@options", run.OptionsJson), dialect.TimeArg("@now", now),
            ],
            cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the insert returned no id");

    /// <summary>One run; with <paramref name="lockRow"/> its row is locked for the rest of a write transaction.</summary>
    public async Task<RetrainingRun?> ReadAsync(SqlSession session, long id, bool lockRow, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(session, "WHERE id = @id" + (lockRow ? dialect.LockRowsClause : ""), [SqlArg.Long("@id", id)], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Runs matching <paramref name="condition"/> (a WHERE/ORDER/LIMIT tail).</summary>
    public Task<List<RetrainingRun>> QueryAsync(SqlSession session, string condition, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM retraining_runs {condition}", args, MapRun, cancellationToken);

    /// <summary>The oldest claimable run at <paramref name="now"/>, its row locked (PostgreSQL: skipping rows another claimer holds).</summary>
    public async Task<RetrainingRun?> NextClaimableAsync(SqlSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(session, $"WHERE {Claimable} ORDER BY id LIMIT 1{_skipLocked}", [dialect.TimeArg("@now", now)], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Gives run <paramref name="id"/> to <paramref name="worker"/> until <paramref name="until"/>, re-checking it is still claimable; 1 row when it was.</summary>
    public Task<int> ClaimAsync(SqlSession session, long id, string worker, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"""
            UPDATE retraining_runs SET claimed_by = @worker, claimed_until = @until, started_at = COALESCE(started_at, @now)
            WHERE id = @id AND {Claimable}
            """,
            [SqlArg.Text("@worker", worker), dialect.TimeArg("@until", until), dialect.TimeArg("@now", now), SqlArg.Long("@id", id)],
            cancellationToken);

    /// <summary>
    /// Extends <paramref name="worker"/>'s claim on a queued or working run to <paramref name="until"/>; 1 row when
    /// the worker is still the claim's holder (an expired claim nobody took over is revived).
    /// </summary>
    public Task<int> RenewAsync(SqlSession session, long id, string worker, DateTimeOffset until, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE retraining_runs SET claimed_until = @until WHERE id = @id AND claimed_by = @worker AND status IN {RetrainingNames.ClaimableSqlList}",
            [dialect.TimeArg("@until", until), SqlArg.Long("@id", id), SqlArg.Text("@worker", worker)],
            cancellationToken);

    /// <summary>
    /// Writes the run's new status and the update's set fields; the claim is kept only into a working status,
    /// <c>started_at</c> is set (once) by a working status, <c>ended_at</c> by a terminal one.
    /// </summary>
    public Task<int> AdvanceAsync(SqlSession session, long id, RetrainingRunUpdate update, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var working = RetrainingNames.IsWorking(update.Status);
        var startedAt = working ? "COALESCE(started_at, @now)" : "started_at";
        var endedAt = RetrainingNames.IsTerminal(update.Status) ? "@now" : "ended_at";
        var claimedBy = working ? "claimed_by" : "NULL";
        var claimedUntil = working ? "claimed_until" : "NULL";
        return session.ExecuteAsync(
            $"""
            UPDATE retraining_runs SET
                status = @status,
                status_detail = COALESCE(@detail, status_detail),
                data_json = COALESCE(@data, data_json),
                search_json = COALESCE(@search, search_json),
                gate_json = COALESCE(@gate, gate_json),
                candidate_version = COALESCE(@candidate, candidate_version),
                deployment_id = COALESCE(@deployment, deployment_id),
                updated_at = @now,
                started_at = {startedAt},
                ended_at = {endedAt},
                claimed_by = {claimedBy},
                claimed_until = {claimedUntil}
            WHERE id = @id
            """,
            [
                SqlArg.Text("@status", RetrainingNames.Of(update.Status)), SqlArg.Text("@detail", RetrainingValidation.Cut(update.StatusDetail)),
                SqlArg.Text("@data", update.DataJson), SqlArg.Text("@search", update.SearchJson), SqlArg.Text("@gate", update.GateJson),
                SqlArg.Int("@candidate", update.CandidateVersion), new SqlArg("@deployment", update.DeploymentId, System.Data.DbType.Int64),
                dialect.TimeArg("@now", now), SqlArg.Long("@id", id),
            ],
            cancellationToken);
    }

    public Task<int> EventAsync(SqlSession session, long runId, DateTimeOffset at, string step, string actor, string? detail, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "INSERT INTO retraining_events (run_id, at, step, actor, detail) VALUES (@run, @at, @step, @actor, @detail)",
            [SqlArg.Long("@run", runId), dialect.TimeArg("@at", at), SqlArg.Text("@step", step), SqlArg.Text("@actor", actor), SqlArg.Text("@detail", RetrainingValidation.Cut(detail))],
            cancellationToken);

    public Task<List<RetrainingEvent>> ReadEventsAsync(SqlSession session, long runId, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {EventColumns} FROM retraining_events WHERE run_id = @run ORDER BY id",
            [SqlArg.Long("@run", runId)],
            r => new RetrainingEvent(r.GetInt64(0), r.GetInt64(1), dialect.ReadTime(r, 2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken);

    /// <summary>Inserts the trial, or replaces the run's trial of the same number.</summary>
    public static Task<int> UpsertTrialAsync(SqlSession session, RetrainingTrial trial, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"""
            INSERT INTO retraining_trials ({TrialColumns})
            VALUES (@run, @number, @learner, @parameters, @folds, @mean, @latest, @status, @error, @duration)
            ON CONFLICT (run_id, number) DO UPDATE
            SET learner = excluded.learner, parameters_json = excluded.parameters_json, fold_scores_json = excluded.fold_scores_json,
                mean_score = excluded.mean_score, latest_fold_score = excluded.latest_fold_score, status = excluded.status,
                error = excluded.error, duration_ms = excluded.duration_ms
            """,
            [
                SqlArg.Long("@run", trial.RunId), SqlArg.Int("@number", trial.Number), SqlArg.Text("@learner", trial.Learner),
                SqlArg.Text("@parameters", trial.ParametersJson), SqlArg.Text("@folds", trial.FoldScoresJson), SqlArg.Double("@mean", trial.MeanScore),
                SqlArg.Double("@latest", trial.LatestFoldScore), SqlArg.Text("@status", trial.Status), SqlArg.Text("@error", RetrainingValidation.Cut(trial.Error)),
                SqlArg.Double("@duration", trial.DurationMs),
            ],
            cancellationToken);

    public static Task<List<RetrainingTrial>> ReadTrialsAsync(SqlSession session, long runId, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {TrialColumns} FROM retraining_trials WHERE run_id = @run ORDER BY number",
            [SqlArg.Long("@run", runId)],
            r => new RetrainingTrial(
                r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5),
                r.IsDBNull(6) ? null : r.GetDouble(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetDouble(9)),
            cancellationToken);

    /// <summary>The WHERE clause of a list query: only its set filters, every value a parameter.</summary>
    public static (string Condition, List<SqlArg> Args) Where(RetrainingQuery query)
    {
        var clauses = new List<string>();
        var args = new List<SqlArg>();
        if (query.Before is long before)
        {
            clauses.Add("id < @before");
            args.Add(SqlArg.Long("@before", before));
        }

        if (query.ModelName is { } model)
        {
            clauses.Add("model_name = @name");
            args.Add(SqlArg.Text("@name", model));
        }

        if (query.Status is { } status)
        {
            clauses.Add("status = @status");
            args.Add(SqlArg.Text("@status", RetrainingNames.Of(status)));
        }

        if (query.Trigger is { } trigger)
        {
            clauses.Add("trigger_kind = @trigger");
            args.Add(SqlArg.Text("@trigger", RetrainingNames.Of(trigger)));
        }

        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), args);
    }

    private RetrainingRun MapRun(DbDataReader r) => new(
        Id: r.GetInt64(0),
        ModelName: r.GetString(1),
        Trigger: RetrainingNames.ParseTrigger(r.GetString(2)),
        TriggerDetail: r.IsDBNull(3) ? null : r.GetString(3),
        RequestedBy: r.GetString(4),
        Reason: r.IsDBNull(5) ? null : r.GetString(5),
        Status: RetrainingNames.ParseStatus(r.GetString(6)),
        StatusDetail: r.IsDBNull(7) ? null : r.GetString(7),
        OptionsJson: r.GetString(8),
        DataJson: r.IsDBNull(9) ? null : r.GetString(9),
        SearchJson: r.IsDBNull(10) ? null : r.GetString(10),
        GateJson: r.IsDBNull(11) ? null : r.GetString(11),
        CandidateVersion: r.IsDBNull(12) ? null : r.GetInt32(12),
        DeploymentId: r.IsDBNull(13) ? null : r.GetInt64(13),
        CreatedAt: dialect.ReadTime(r, 14),
        UpdatedAt: dialect.ReadTime(r, 15),
        StartedAt: r.IsDBNull(16) ? null : dialect.ReadTime(r, 16),
        EndedAt: r.IsDBNull(17) ? null : dialect.ReadTime(r, 17),
        ClaimedBy: r.IsDBNull(18) ? null : r.GetString(18),
        ClaimedUntil: r.IsDBNull(19) ? null : dialect.ReadTime(r, 19));
}
