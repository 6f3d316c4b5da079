using System.Data.Common;
using System.Text.Json;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Deployments;

/// <summary>The deployments' SQL, statement by statement, for the unit-of-work bodies of <see cref="DeploymentStore"/>.</summary>
internal sealed class DeploymentStatements(SqlDialect dialect)
{
    private const string Columns =
        "id, model_name, champion_version, challenger_version, mode, share, steps_json, step, step_started_at, auto_promote, salt, state, reason, created_at, created_by, updated_at, ended_at";

    private const string EventColumns = "id, deployment_id, at, actor, action, reason, figures_json";

    private const string AlertColumns = "id, deployment_id, at, level, kind, summary, figures_json, delivered_at";

    /// <summary>Last statement of every transaction that changes a deployment, so the counter's row lock is held only until commit.</summary>
    public static Task<int> BumpChangeTokenAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE deployment_changes SET change_seq = change_seq + 1 WHERE id = 1", [], cancellationToken);

    public static async Task<long> ReadChangeTokenAsync(SqlSession session, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async("SELECT change_seq FROM deployment_changes WHERE id = 1", [], cancellationToken).ConfigureAwait(false) ?? 0;

    /// <summary>The model's active deployment's id, its row locked for the rest of a write transaction (PostgreSQL).</summary>
    public Task<long?> ActiveIdAsync(SqlSession session, string modelName, CancellationToken cancellationToken) =>
        session.ScalarInt64Async(
            "SELECT id FROM deployments WHERE model_name = @name AND state = 'active'" + dialect.LockRowsClause,
            [SqlArg.Text("@name", modelName)],
            cancellationToken);

    public async Task<long> InsertAsync(
        SqlSession session, NewDeployment request, IReadOnlyList<CanaryStepSpec> steps, double share, string actor, string? reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            """
            INSERT INTO deployments (model_name, champion_version, challenger_version, mode, share, steps_json, step, step_started_at,
                auto_promote, salt, state, reason, created_at, created_by, updated_at, ended_at)
            VALUES (@name, @champion, @challenger, @mode, @share, @steps, 0, @now,
                @auto, @salt, 'active', @reason, @now, @actor, @now, NULL)
            RETURNING id
            """,
            [
                SqlArg.Text("@name", request.ModelName), SqlArg.Int("@champion", request.ChampionVersion), SqlArg.Int("@challenger", request.ChallengerVersion),
                SqlArg.Text("@mode", DeploymentNames.Of(request.Mode)), SqlArg.Double("@share", share), SqlArg.Text("@steps", JsonSerializer.Serialize(steps)),
                dialect.TimeArg("@now", now), SqlArg.Int("@auto", request.AutoPromote ? 1 : 0), SqlArg.Text("@salt", request.Salt),
                SqlArg.Text("@reason", reason), SqlArg.Text("@actor", actor),
            ],
            cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the insert returned no id");

    /// <summary>One deployment; with <paramref name="lockRow"/> its row is locked for the rest of a write transaction.</summary>
    public async Task<Deployment?> ReadAsync(SqlSession session, long id, bool lockRow, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(session, "WHERE id = @id" + (lockRow ? dialect.LockRowsClause : ""), [SqlArg.Long("@id", id)], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Deployments matching <paramref name="condition"/> (a WHERE/ORDER/LIMIT tail).</summary>
    public Task<List<Deployment>> QueryAsync(SqlSession session, string condition, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM deployments {condition}", args, MapDeployment, cancellationToken);

    public Task<int> AdvanceAsync(SqlSession session, long id, int fromStep, double share, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE deployments SET step = @next, share = @share, step_started_at = @now, updated_at = @now
            WHERE id = @id AND state = 'active' AND step = @from
            """,
            [SqlArg.Int("@next", fromStep + 1), SqlArg.Double("@share", share), dialect.TimeArg("@now", now), SqlArg.Long("@id", id), SqlArg.Int("@from", fromStep)],
            cancellationToken);

    /// <summary>Ends an active deployment in <paramref name="state"/>; 0 rows when it was no longer active.</summary>
    public Task<int> EndAsync(SqlSession session, long id, DeploymentState state, string? reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            UPDATE deployments SET state = @state, reason = COALESCE(@reason, reason), updated_at = @now, ended_at = @now
            WHERE id = @id AND state = 'active'
            """,
            [SqlArg.Text("@state", DeploymentNames.Of(state)), SqlArg.Text("@reason", reason), dialect.TimeArg("@now", now), SqlArg.Long("@id", id)],
            cancellationToken);

    public Task<int> EventAsync(SqlSession session, long id, DateTimeOffset at, string actor, string action, string? reason, string? figuresJson, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO deployment_events (deployment_id, at, actor, action, reason, figures_json)
            VALUES (@id, @at, @actor, @action, @reason, @figures)
            """,
            [
                SqlArg.Long("@id", id), dialect.TimeArg("@at", at), SqlArg.Text("@actor", actor), SqlArg.Text("@action", action),
                SqlArg.Text("@reason", reason), SqlArg.Text("@figures", figuresJson),
            ],
            cancellationToken);

    public Task<int> AlertAsync(SqlSession session, long id, DateTimeOffset at, string level, string kind, string summary, string? figuresJson, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO deployment_alerts (deployment_id, at, level, kind, summary, figures_json, delivered_at)
            VALUES (@id, @at, @level, @kind, @summary, @figures, NULL)
            """,
            [
                SqlArg.Long("@id", id), dialect.TimeArg("@at", at), SqlArg.Text("@level", level), SqlArg.Text("@kind", kind),
                SqlArg.Text("@summary", summary), SqlArg.Text("@figures", figuresJson),
            ],
            cancellationToken);

    public Task<List<DeploymentEvent>> ReadEventsAsync(SqlSession session, long id, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {EventColumns} FROM deployment_events WHERE deployment_id = @id ORDER BY id",
            [SqlArg.Long("@id", id)],
            r => new DeploymentEvent(
                r.GetInt64(0), r.GetInt64(1), dialect.ReadTime(r, 2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)),
            cancellationToken);

    public Task<List<DeploymentAlert>> ReadAlertsAsync(SqlSession session, long afterId, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {AlertColumns} FROM deployment_alerts WHERE id > @after ORDER BY id LIMIT @limit",
            [SqlArg.Long("@after", afterId), SqlArg.Int("@limit", limit)],
            r => new DeploymentAlert(
                r.GetInt64(0), r.GetInt64(1), dialect.ReadTime(r, 2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : dialect.ReadTime(r, 7)),
            cancellationToken);

    /// <summary>Inserts or replaces one replica's counters for one arm and minute.</summary>
    public Task<int> UpsertArmMinuteAsync(SqlSession session, string replica, ArmMinute row, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            """
            INSERT INTO deployment_arm_minutes (deployment_id, minute, arm, replica, requests, errors, latency_buckets)
            VALUES (@id, @minute, @arm, @replica, @requests, @errors, @buckets)
            ON CONFLICT (deployment_id, minute, arm, replica) DO UPDATE
            SET requests = excluded.requests, errors = excluded.errors, latency_buckets = excluded.latency_buckets
            """,
            [
                SqlArg.Long("@id", row.DeploymentId), dialect.TimeArg("@minute", row.Minute), SqlArg.Text("@arm", row.Arm), SqlArg.Text("@replica", replica),
                SqlArg.Long("@requests", row.Requests), SqlArg.Long("@errors", row.Errors), SqlArg.Text("@buckets", JsonSerializer.Serialize(row.LatencyBuckets)),
            ],
            cancellationToken);

    public Task<List<ArmMinute>> ReadArmMinutesAsync(SqlSession session, long id, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        session.QueryAsync(
            """
            SELECT deployment_id, arm, minute, requests, errors, latency_buckets FROM deployment_arm_minutes
            WHERE deployment_id = @id AND minute >= @from AND minute < @to
            ORDER BY minute, arm, replica
            """,
            [SqlArg.Long("@id", id), dialect.TimeArg("@from", from), dialect.TimeArg("@to", to)],
            r => new ArmMinute(
                r.GetInt64(0), r.GetString(1), dialect.ReadTime(r, 2), r.GetInt64(3), r.GetInt64(4),
                JsonSerializer.Deserialize<long[]>(r.GetString(5)) ?? []),
            cancellationToken);

    private Deployment MapDeployment(DbDataReader r) => new(
        Id: r.GetInt64(0),
        ModelName: r.GetString(1),
        ChampionVersion: r.GetInt32(2),
        ChallengerVersion: r.IsDBNull(3) ? null : r.GetInt32(3),
        Mode: DeploymentNames.ParseMode(r.GetString(4)),
        Share: r.GetDouble(5),
        Steps: JsonSerializer.Deserialize<List<CanaryStepSpec>>(r.GetString(6)) ?? [],
        Step: r.GetInt32(7),
        StepStartedAt: dialect.ReadTime(r, 8),
        AutoPromote: r.GetInt32(9) != 0,
        Salt: r.GetString(10),
        State: DeploymentNames.ParseState(r.GetString(11)),
        Reason: r.IsDBNull(12) ? null : r.GetString(12),
        CreatedAt: dialect.ReadTime(r, 13),
        CreatedBy: r.GetString(14),
        UpdatedAt: dialect.ReadTime(r, 15),
        EndedAt: r.IsDBNull(16) ? null : dialect.ReadTime(r, 16));
}
