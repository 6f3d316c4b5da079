using System.Globalization;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>One (model version, arm) that scored leads in a window: what a monitoring run covers.</summary>
/// <param name="ModelVersion">The version that scored them.</param>
/// <param name="Arm">The serving arm (<see cref="ServingArms"/>).</param>
/// <param name="Leads">Distinct leads it scored in the window (the rows a monitoring window of this scope holds).</param>
/// <param name="Requests">Scores it logged in the window (a lead scored twice counts twice).</param>
public sealed record MonitoringScope(int ModelVersion, string Arm, long Leads, long Requests);

/// <summary>
/// Request counts and scoring latency of one scope in a window, from the prediction log (so only scores that were
/// logged: a failed request writes no row, and its error is counted by the deployment arms' minute counters instead).
/// </summary>
/// <param name="Requests">Scores logged.</param>
/// <param name="LatencyP50Microseconds">Median scoring latency; null without rows.</param>
/// <param name="LatencyP95Microseconds">95th percentile (nearest rank); null without rows.</param>
/// <param name="LatencyP99Microseconds">99th percentile (nearest rank); null without rows.</param>
public sealed record MonitoringOperations(long Requests, double? LatencyP50Microseconds, double? LatencyP95Microseconds, double? LatencyP99Microseconds);

/// <summary>
/// Lists which (version, arm) scopes of a model scored leads in a window, and their logged requests and latency.
/// Read-only over the prediction log (migrated on first use); get it from <see cref="MonitoringStore.Scopes"/>.
/// </summary>
public sealed class MonitoringScopeReader : IDisposable
{
    private readonly SqlDatabase _database;
    private readonly SchemaMigrator _predictions;

    internal MonitoringScopeReader(SqlDatabase database)
    {
        _database = database;
        _predictions = new SchemaMigrator(database, PredictionSchema.Component, PredictionSchema.Steps(database.Dialect.Types));
    }

    /// <summary>
    /// Every (version, arm) of <paramref name="modelName"/> with a score in [<paramref name="from"/>, <paramref name="to"/>),
    /// ordered by version, then arm (ordinal). A bad argument is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public async Task<IReadOnlyList<MonitoringScope>> ListAsync(string modelName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ValidateWindow(modelName, from, to);
        await _predictions.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var dialect = _database.Dialect;
        var rows = await _database.ReadAsync(
            (session, ct) => session.QueryAsync(
                """
                SELECT model_version, arm, COUNT(DISTINCT lead_id), COUNT(*)
                FROM predictions
                WHERE model_name = @model AND scored_at >= @from AND scored_at < @to
                GROUP BY model_version, arm
                """,
                [SqlArg.Text("@model", modelName), Time(dialect, "@from", from), Time(dialect, "@to", to)],
                r => new MonitoringScope(r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)),
                ct),
            cancellationToken).ConfigureAwait(false);
        // Sorted here, not in SQL, so the order is ordinal on both databases whatever the collation.
        rows.Sort((a, b) => a.ModelVersion != b.ModelVersion ? a.ModelVersion.CompareTo(b.ModelVersion) : string.CompareOrdinal(a.Arm, b.Arm));
        return rows;
    }

    /// <summary>
    /// The logged requests and latency percentiles of one scope in [<paramref name="from"/>, <paramref name="to"/>);
    /// <paramref name="modelVersion"/> and <paramref name="arm"/> null: every version or arm.
    /// </summary>
    public async Task<MonitoringOperations> ReadOperationsAsync(
        string modelName, int? modelVersion, string? arm, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ValidateWindow(modelName, from, to);
        MonitoringValidation.ValidateScope(modelVersion, arm, "scope");
        await _predictions.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var dialect = _database.Dialect;
        List<SqlArg> args = [SqlArg.Text("@model", modelName), Time(dialect, "@from", from), Time(dialect, "@to", to)];
        var scope = "";
        if (modelVersion is int version)
        {
            scope += " AND model_version = @version";
            args.Add(SqlArg.Int("@version", version));
        }

        if (arm is not null)
        {
            scope += " AND arm = @arm";
            args.Add(SqlArg.Text("@arm", arm));
        }

        var latencies = await _database.ReadAsync(
            (session, ct) => session.QueryAsync(
                $"SELECT latency_us FROM predictions WHERE model_name = @model AND scored_at >= @from AND scored_at < @to{scope}",
                args,
                r => r.GetInt64(0),
                ct),
            cancellationToken).ConfigureAwait(false);
        if (latencies.Count == 0)
        {
            return new MonitoringOperations(0, null, null, null);
        }

        latencies.Sort();
        return new MonitoringOperations(latencies.Count, NearestRank(latencies, 0.50), NearestRank(latencies, 0.95), NearestRank(latencies, 0.99));
    }

    public void Dispose() => _predictions.Dispose();

    // The smallest value with at least q of the values at or below it.
    private static double NearestRank(List<long> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static SqlArg Time(SqlDialect dialect, string name, DateTimeOffset value) => dialect.TimeArg(name, OutcomeValidation.ToStoredTime(value));

    private static void ValidateWindow(string modelName, DateTimeOffset from, DateTimeOffset to)
    {
        MonitoringValidation.Require(!string.IsNullOrWhiteSpace(modelName), "modelName", "must not be empty");
        MonitoringValidation.Require(to > from, "to", string.Create(CultureInfo.InvariantCulture, $"must be after from ({from:O})"));
    }
}
