using LeadScoring.Storage.Registry;

namespace LeadScoring.Storage;

/// <summary>Picks the registry's provider from <see cref="StorageOptions"/>.</summary>
public static class ModelRegistryFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <see cref="StorageOptions.SqliteDatabasePath"/>. Nothing is opened until first use (or
    /// <see cref="SqlModelRegistry.InitializeAsync"/>). The caller owns the result: dispose it
    /// (<c>await using</c>) to release connection pools.
    /// </summary>
    public static SqlModelRegistry Create(StorageOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsesPostgres
            ? new PostgresModelRegistry(options.PostgresConnectionString!, timeProvider)
            : new SqliteModelRegistry(options.SqliteDatabasePath, timeProvider);
    }
}
