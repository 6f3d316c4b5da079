using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage;

/// <summary>Picks the registry's database from <see cref="StorageOptions"/>.</summary>
public static class ModelRegistryFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <see cref="StorageOptions.SqliteDatabasePath"/>. Nothing is opened until first use (or
    /// <see cref="ModelRegistry.InitializeAsync"/>). The caller owns the result: dispose it
    /// (<c>await using</c>) to release connection pools.
    /// </summary>
    public static ModelRegistry Create(StorageOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelRegistry(new SqlDatabase(CreateDialect(options, StorageOptions.SqliteFileName), timeProvider));
    }

    /// <summary>
    /// The dialect for one database of <paramref name="options"/>: on PostgreSQL every component shares the
    /// connection's database; on SQLite each database is its own file, <paramref name="sqliteFileName"/>, in the
    /// data directory (the registry's is <see cref="StorageOptions.SqliteFileName"/>).
    /// </summary>
    internal static SqlDialect CreateDialect(StorageOptions options, string sqliteFileName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(sqliteFileName);
        return options.UsesPostgres
            ? new PostgresDialect(options.PostgresConnectionString!)
            : new SqliteDialect(Path.GetFullPath(Path.Combine(options.DataDirectory, sqliteFileName)));
    }
}
