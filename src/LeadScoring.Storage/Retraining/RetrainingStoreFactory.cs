using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Retraining;

/// <summary>Opens the retraining runs in the registry's database (beside the registry and the deployments a run's candidate goes through).</summary>
public static class RetrainingStoreFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <c>&lt;DataDirectory&gt;/leadscoring.db</c> (the registry's file). Nothing is opened until first use. The
    /// caller owns the result: dispose it.
    /// </summary>
    public static RetrainingStore Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, StorageOptions.SqliteFileName), timeProvider));
}
