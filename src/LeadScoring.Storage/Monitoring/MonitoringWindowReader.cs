using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// Reads one monitoring window of the prediction log joined to the outcomes known at a time, column by column (see
/// <see cref="MonitoringWindowQuery"/> and <see cref="MonitoringWindowColumns"/>), in one read transaction and one
/// statement. Read-only over the prediction log's and the outcomes' tables; both schemas are migrated on first use.
/// Get it from <see cref="MonitoringStore.Windows"/> (it shares the store's database).
/// </summary>
public sealed class MonitoringWindowReader : IDisposable
{
    private readonly SqlDatabase _database;
    private readonly SchemaMigrator _predictions;
    private readonly SchemaMigrator _outcomes;
    private readonly MonitoringWindowScan _scan;

    internal MonitoringWindowReader(SqlDatabase database)
    {
        _database = database;
        _predictions = new SchemaMigrator(database, PredictionSchema.Component, PredictionSchema.Steps(database.Dialect.Types));
        _outcomes = new SchemaMigrator(database, OutcomeSchema.Component, OutcomeSchema.Steps(database.Dialect.Types));
        _scan = MonitoringWindowScan.For(database.Dialect);
    }

    /// <summary>
    /// The window's leads, each once (its first score), ordered by that score's (scored_at, id). A bad query is an
    /// <see cref="ArgumentException"/> naming the field.
    /// </summary>
    public async Task<MonitoringWindowColumns> ReadAsync(MonitoringWindowQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query);
        await _predictions.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await _outcomes.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(
            async (session, ct) =>
            {
                var builder = new MonitoringWindowBuilder(query.Features);
                await _scan.ReadAsync(session, query, builder, ct).ConfigureAwait(false);
                return builder.Build();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _predictions.Dispose();
        _outcomes.Dispose();
    }

    private static void Validate(MonitoringWindowQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        MonitoringValidation.Require(!string.IsNullOrWhiteSpace(query.ModelName), "query.ModelName", "must not be empty");
        MonitoringValidation.Require(query.ScoredTo > query.ScoredFrom, "query.ScoredTo", "must be after ScoredFrom");
        MonitoringValidation.ValidateScope(query.ModelVersion, query.Arm, "query");
        MonitoringValidation.Require(query.Features is not null, "query.Features", "must not be null");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < query.Features!.Count; i++)
        {
            var feature = query.Features[i];
            MonitoringValidation.Require(feature is not null && !string.IsNullOrEmpty(feature.Name), $"query.Features[{i}]", "must name a feature");
            MonitoringValidation.Require(Enum.IsDefined(feature!.Kind), $"query.Features[{i}].Kind", "must be numeric or categorical");
            MonitoringValidation.Require(names.Add(feature.Name), $"query.Features[{i}]", $"repeats feature '{feature.Name}'");
        }
    }
}
