using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Deployments;

/// <summary>Opens the deployments and the lease in the registry's database (they live beside the registry's tables).</summary>
public static class DeploymentStoreFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <c>&lt;DataDirectory&gt;/leadscoring.db</c> (the registry's file). Nothing is opened until first use. The
    /// caller owns the result: dispose it.
    /// </summary>
    public static DeploymentStore Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, StorageOptions.SqliteFileName), timeProvider));

    /// <summary>The store lease, in the same database as <see cref="Create"/>. The caller owns the result: dispose it.</summary>
    public static StoreLease CreateLease(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, StorageOptions.SqliteFileName), timeProvider));
}
