using System.Data.Common;
using System.Globalization;
using System.Text;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>The SQL of <see cref="MonitoringStore"/>.</summary>
internal sealed class MonitoringStatements(SqlDialect dialect)
{
    /// <summary>Figures per INSERT (six parameters each, well under SQLite's limit of 32,766).</summary>
    public const int FiguresPerStatement = 200;

    private const string RunColumns =
        "id, kind, model_name, model_version, arm, window_from, window_to, started_at, finished_at, status, summary_json, report_path";

    public async Task<long> InsertRunAsync(SqlSession session, MonitoringRun run, CancellationToken cancellationToken) =>
        await session.ScalarInt64Async(
            """
            INSERT INTO monitoring_runs (kind, model_name, model_version, arm, window_from, window_to, started_at, finished_at, status, summary_json, report_path)
            VALUES (@kind, @model, @version, @arm, @from, @to, @started, @finished, @status, @summary, @report)
            RETURNING id
            """,
            [
                SqlArg.Text("@kind", run.Kind), SqlArg.Text("@model", run.ModelName), SqlArg.Int("@version", run.ModelVersion), SqlArg.Text("@arm", run.Arm),
                Time("@from", run.WindowFrom), Time("@to", run.WindowTo), Time("@started", run.StartedAt), Time("@finished", run.FinishedAt),
                SqlArg.Text("@status", run.Status), SqlArg.Text("@summary", run.SummaryJson), SqlArg.Text("@report", run.ReportPath),
            ],
            cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the insert returned no id");

    public static async Task InsertFiguresAsync(SqlSession session, long runId, IReadOnlyList<MonitoringFigure> figures, CancellationToken cancellationToken)
    {
        foreach (var chunk in figures.Chunk(FiguresPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO monitoring_figures (run_id, metric, feature, value, p_value, verdict) VALUES ");
            var args = new List<SqlArg>(1 + (chunk.Length * 5)) { SqlArg.Long("@run", runId) };
            for (var i = 0; i < chunk.Length; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@run, @m{n}, @f{n}, @v{n}, @p{n}, @d{n})");
                args.Add(SqlArg.Text("@m" + n, chunk[i].Metric));
                args.Add(SqlArg.Text("@f" + n, chunk[i].Feature));
                args.Add(SqlArg.Double("@v" + n, chunk[i].Value));
                args.Add(SqlArg.Double("@p" + n, chunk[i].PValue));
                args.Add(SqlArg.Text("@d" + n, chunk[i].Verdict));
            }

            await session.ExecuteAsync(sql.ToString(), args, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<List<StoredMonitoringRun>> ListRunsAsync(SqlSession session, MonitoringRunFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var args = new List<SqlArg> { SqlArg.Int("@limit", limit) };
        if (filter.ModelName is not null)
        {
            where.Add("model_name = @model");
            args.Add(SqlArg.Text("@model", filter.ModelName));
        }

        if (filter.ModelVersion is int version)
        {
            where.Add("model_version = @version");
            args.Add(SqlArg.Int("@version", version));
        }

        if (filter.Arm is not null)
        {
            where.Add("arm = @arm");
            args.Add(SqlArg.Text("@arm", filter.Arm));
        }

        if (filter.Kind is not null)
        {
            where.Add("kind = @kind");
            args.Add(SqlArg.Text("@kind", filter.Kind));
        }

        if (filter.From is { } from)
        {
            where.Add("window_to >= @from");
            args.Add(Time("@from", from));
        }

        if (filter.To is { } to)
        {
            where.Add("window_to < @to");
            args.Add(Time("@to", to));
        }

        if (before is long id)
        {
            where.Add("id < @before");
            args.Add(SqlArg.Long("@before", id));
        }

        var condition = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        return session.QueryAsync($"SELECT {RunColumns} FROM monitoring_runs {condition} ORDER BY id DESC LIMIT @limit", args, ReadRun, cancellationToken);
    }

    public async Task<StoredMonitoringRun?> ReadRunAsync(SqlSession session, long id, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync($"SELECT {RunColumns} FROM monitoring_runs WHERE id = @id", [SqlArg.Long("@id", id)], ReadRun, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async Task<List<MonitoringFigure>> ReadFiguresAsync(SqlSession session, long runId, CancellationToken cancellationToken)
    {
        var figures = await session.QueryAsync(
            "SELECT metric, feature, value, p_value, verdict FROM monitoring_figures WHERE run_id = @run",
            [SqlArg.Long("@run", runId)],
            r => new MonitoringFigure(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.IsDBNull(4) ? null : r.GetString(4)),
            cancellationToken).ConfigureAwait(false);
        // Sorted here, not in SQL, so the order is ordinal on both databases whatever the collation.
        figures.Sort((a, b) => string.CompareOrdinal(a.Metric, b.Metric) is var byMetric and not 0 ? byMetric : string.CompareOrdinal(a.Feature, b.Feature));
        return figures;
    }

    public Task<List<MonitoringSeriesPoint>> ReadSeriesAsync(SqlSession session, MonitoringSeriesQuery query, CancellationToken cancellationToken)
    {
        List<SqlArg> args =
        [
            SqlArg.Text("@model", query.ModelName), SqlArg.Text("@metric", query.Metric),
            Time("@from", query.From), Time("@to", query.To),
        ];
        var scope = new StringBuilder();
        Exactly(scope, args, "f.feature", SqlArg.Text("@feature", query.Feature));
        Exactly(scope, args, "r.model_version", SqlArg.Int("@version", query.ModelVersion));
        Exactly(scope, args, "r.arm", SqlArg.Text("@arm", query.Arm));
        if (query.Kind is not null)
        {
            scope.Append(" AND r.kind = @kind");
            args.Add(SqlArg.Text("@kind", query.Kind));
        }

        return session.QueryAsync(
            $"""
            SELECT r.id, r.kind, r.window_from, r.window_to, r.status, f.value, f.p_value, f.verdict
            FROM monitoring_runs r JOIN monitoring_figures f ON f.run_id = r.id
            WHERE r.model_name = @model AND r.window_to >= @from AND r.window_to < @to AND f.metric = @metric{scope}
            ORDER BY r.window_to, r.id
            """,
            args,
            r => new MonitoringSeriesPoint(
                r.GetInt64(0), r.GetString(1), dialect.ReadTime(r, 2), dialect.ReadTime(r, 3), r.GetString(4),
                r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetString(7)),
            cancellationToken);
    }

    // "column = @arg", or "column IS NULL" for a null value: a series is of exactly one scope.
    private static void Exactly(StringBuilder sql, List<SqlArg> args, string column, SqlArg arg)
    {
        if (arg.Value is null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} IS NULL");
        }
        else
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = {arg.Name}");
            args.Add(arg);
        }
    }

    private SqlArg Time(string name, DateTimeOffset value) => dialect.TimeArg(name, OutcomeValidation.ToStoredTime(value));

    private StoredMonitoringRun ReadRun(DbDataReader r) => new(
        r.GetInt64(0),
        new MonitoringRun(
            r.GetString(1),
            r.GetString(2),
            r.IsDBNull(3) ? null : r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetString(4),
            dialect.ReadTime(r, 5),
            dialect.ReadTime(r, 6),
            dialect.ReadTime(r, 7),
            dialect.ReadTime(r, 8),
            r.GetString(9),
            r.GetString(10),
            r.IsDBNull(11) ? null : r.GetString(11)));
}
