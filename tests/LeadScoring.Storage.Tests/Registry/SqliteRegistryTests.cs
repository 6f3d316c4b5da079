using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests.Registry;

/// <summary>The registry contract on SQLite (a fresh temporary file per test), plus what only SQLite has.</summary>
public sealed class SqliteRegistryTests : RegistryContract
{
    private SqliteTestDatabase Sqlite => (SqliteTestDatabase)Database;

    private string DatabasePath => Sqlite.DatabasePath;

    private string Folder => Sqlite.Directory;

    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public async Task The_database_file_and_its_folder_are_created_on_first_use_in_WAL_mode()
    {
        Assert.False(File.Exists(DatabasePath));
        await Registry.InitializeAsync();
        Assert.True(File.Exists(DatabasePath));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
        command.CommandText = "SELECT MAX(version) FROM schema_versions WHERE component = 'registry'";
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_production_version()
    {
        await Registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));
        await Registry.RegisterAsync(new NewModelVersion("churn", [2], "{}", "alice"));
        await Registry.TransitionAsync("churn", 1, ModelStage.Production, "alice", null);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE model_versions SET stage = 'Production' WHERE version = 2";
        var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("UNIQUE", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_waits_while_another_process_holds_the_write_lock_and_then_succeeds()
    {
        await Registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));
        var tokenBefore = await Registry.GetChangeTokenAsync();

        // Another "process" takes the write lock and writes, then commits while the registry waits for it.
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; UPDATE registry_state SET change_seq = change_seq + 100;";
            await begin.ExecuteNonQueryAsync();
        }

        var transition = Task.Run(() => Registry.TransitionAsync("churn", 1, ModelStage.Production, "alice", null));
        await Task.Delay(300);
        Assert.False(transition.IsCompleted);
        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        var promoted = await transition.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ModelStage.Production, promoted.Stage);
        Assert.Equal(tokenBefore + 101, await Registry.GetChangeTokenAsync());
    }

    [Fact]
    public async Task The_factory_puts_the_database_at_dataFolder_leadscoring_db()
    {
        var options = new StorageOptions { DataDirectory = Path.Combine(Folder, "factory") };
        Assert.False(options.UsesPostgres);

        await using var registry = ModelRegistryFactory.Create(options);
        var sqlite = Assert.IsType<SqliteDialect>(registry.Database.Dialect);
        await registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));

        Assert.Equal(Path.Combine(Folder, "factory", "leadscoring.db"), sqlite.DatabasePath);
        Assert.True(File.Exists(sqlite.DatabasePath));
        Assert.Equal("sqlite", registry.Provider);
    }

    [Fact]
    public void Storage_options_default_to_SQLite_in_the_data_folder()
    {
        var options = new StorageOptions();
        Assert.Equal("Storage", StorageOptions.SectionName);
        Assert.Equal("data", options.DataDirectory);
        Assert.Null(options.PostgresConnectionString);
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "leadscoring.db")), options.SqliteDatabasePath);
    }

    [Fact]
    public async Task Ping_is_false_when_the_database_cannot_be_opened()
    {
        Directory.CreateDirectory(Folder);
        var notAFolder = Path.Combine(Folder, "file");
        await File.WriteAllTextAsync(notAFolder, "x");

        await using var registry = new ModelRegistry(new SqlDatabase(new SqliteDialect(Path.Combine(notAFolder, "leadscoring.db"))));

        Assert.False(await registry.PingAsync());
    }
}
