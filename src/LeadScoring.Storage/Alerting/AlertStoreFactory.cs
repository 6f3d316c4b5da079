using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>Opens the alert store in the registry's database (alerts are few and belong with the deployments' audit).</summary>
public static class AlertStoreFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <c>&lt;DataDirectory&gt;/leadscoring.db</c>. Nothing is opened until first use. The caller owns the result: dispose it.
    /// </summary>
    public static AlertStore Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, StorageOptions.SqliteFileName), timeProvider));
}
