using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Predictions;

/// <summary>The prediction log contract on SQLite, plus its own file and durability setting.</summary>
public sealed class SqlitePredictionLogTests : PredictionLogContract
{
    private SqliteTestDatabase Sqlite => (SqliteTestDatabase)Database;

    // The test database is the registry's file, leadscoring.db, in this folder.
    protected override StorageOptions Options => new() { DataDirectory = Path.GetDirectoryName(Sqlite.DatabasePath)! };

    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_factory_puts_the_log_in_predictions_db_beside_the_registry_with_no_predictions_in_the_registry_file()
    {
        await using var registry = ModelRegistryFactory.Create(Options, Time);
        await using var log = PredictionLogFactory.Create(Options, null, Time);
        await registry.InitializeAsync();

        await log.AppendAsync([Record(1)]);

        var sqlite = Assert.IsType<SqliteDialect>(log.Database.Dialect);
        Assert.Equal(Path.Combine(Options.DataDirectory, "predictions.db"), sqlite.DatabasePath);
        Assert.Equal("predictions", await ScalarAsync(log, "SELECT group_concat(DISTINCT component) FROM schema_versions"));
        Assert.Equal("registry", await ScalarAsync(registry.Database, "SELECT group_concat(DISTINCT component) FROM schema_versions"));
        Assert.Equal(0L, await ScalarAsync(registry.Database, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'predictions'"));
    }

    [Theory]
    [InlineData(false, 1L)] // NORMAL: survives a process crash
    [InlineData(true, 2L)] // FULL: fsync per commit, survives power loss
    public async Task The_durability_setting_sets_synchronous_on_the_logs_connections_only(bool syncEveryBatch, long synchronous)
    {
        await using var registry = ModelRegistryFactory.Create(Options, Time);
        await using var log = PredictionLogFactory.Create(Options, new PredictionLogOptions { SyncEveryBatch = syncEveryBatch }, Time);
        await log.AppendAsync([Record(1)]);

        Assert.Equal(synchronous, await ScalarAsync(log, "PRAGMA synchronous"));
        Assert.Equal("wal", await ScalarAsync(log, "PRAGMA journal_mode"));
        Assert.Equal(2L, await ScalarAsync(registry.Database, "PRAGMA synchronous"));
    }

    private static Task<object?> ScalarAsync(PredictionLog log, string sql) => ScalarAsync(log.Database, sql);

    private static Task<object?> ScalarAsync(SqlDatabase database, string sql) =>
        database.WithConnectionAsync((session, ct) => session.ScalarAsync(sql, [], ct), CancellationToken.None);
}
