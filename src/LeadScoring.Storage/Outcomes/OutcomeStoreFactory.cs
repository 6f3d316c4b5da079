using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Outcomes;

/// <summary>Picks the outcomes' database from <see cref="StorageOptions"/>.</summary>
public static class OutcomeStoreFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set (its own tables in the shared
    /// database), otherwise SQLite at <c>&lt;DataDirectory&gt;/predictions.db</c> beside the prediction log. Nothing is
    /// opened until first use. The caller owns the result: dispose it.
    /// </summary>
    public static OutcomeStore Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, OutcomeStore.SqliteFileName), timeProvider));
}
