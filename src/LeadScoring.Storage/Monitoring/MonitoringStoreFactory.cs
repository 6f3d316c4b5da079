using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>Opens the monitoring store (and its window reader) in the prediction log's database.</summary>
public static class MonitoringStoreFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set (its own tables in the shared
    /// database), otherwise SQLite at <c>&lt;DataDirectory&gt;/predictions.db</c>. Nothing is opened until first use.
    /// The caller owns the result: dispose it.
    /// </summary>
    public static MonitoringStore Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, PredictionLogFactory.SqliteFileName), timeProvider));
}
