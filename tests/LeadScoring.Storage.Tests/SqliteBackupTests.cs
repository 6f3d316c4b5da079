using LeadScoring.Storage.Registry;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Tests;

/// <summary>Backing up the SQLite store while writers keep changing it.</summary>
public sealed class SqliteBackupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadscoring-backup-").FullName;

    private StorageOptions Options => new() { DataDirectory = Path.Combine(_root, "data") };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<T> QueryAsync<T>(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_backup_taken_while_versions_are_registered_and_promoted_is_intact_and_holds_every_committed_version()
    {
        await using var registry = ModelRegistryFactory.Create(Options);
        var random = new Random(7);
        var package = new byte[200 * 1024];
        random.NextBytes(package);
        for (var i = 0; i < 5; i++)
        {
            await registry.RegisterAsync(new NewModelVersion("churn", package, "{}", "alice"));
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                var version = await registry.RegisterAsync(new NewModelVersion("churn", package, "{}", "writer"));
                await registry.TransitionAsync("churn", version.Version, ModelStage.Production, "writer", null);
                written++;
            }

            return written;
        });

        // Let the writer get going, then copy in the middle of its changes.
        while ((await registry.GetChangeTokenAsync()) < 15)
        {
            await Task.Delay(10);
        }

        var committedBefore = (await registry.ListModelsAsync()).Single().LatestVersion;
        var copy = Path.Combine(_root, "copy.db");
        var bytes = await SqliteBackup.BackupAsync(Options, copy);
        var committedAfter = (await registry.ListModelsAsync()).Single().LatestVersion;
        await stop.CancelAsync();
        var written = await writer;

        Assert.True(written > 0);
        Assert.Equal(new FileInfo(copy).Length, bytes);
        Assert.False(File.Exists(copy + "-wal"));
        Assert.Equal("ok", await QueryAsync<string>(copy, "PRAGMA integrity_check"));
        var versions = await QueryAsync<long>(copy, "SELECT COUNT(*) FROM model_versions");
        Assert.InRange(versions, committedBefore, committedAfter);
        // One snapshot: every version, its counter, its audit entry and exactly one Production version agree.
        Assert.Equal(versions, await QueryAsync<long>(copy, "SELECT last_version FROM registered_models"));
        Assert.Equal(versions, await QueryAsync<long>(copy, "SELECT COUNT(*) FROM registry_audit WHERE action = 'register'"));
        Assert.Equal(1L, await QueryAsync<long>(copy, "SELECT COUNT(*) FROM model_versions WHERE stage = 'Production'"));

        // The copy is a working store.
        await using var restored = ModelRegistryFactory.Create(new StorageOptions { DataDirectory = Path.Combine(_root, "restored") });
        Directory.CreateDirectory(Path.Combine(_root, "restored"));
        File.Copy(copy, Path.Combine(_root, "restored", StorageOptions.SqliteFileName));
        Assert.Equal((int)versions, (await restored.GetLatestVersionAsync("churn"))!.Version);
        Assert.Equal(package, await restored.GetPackageAsync("churn", (int)versions));
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file()
    {
        await using (var registry = ModelRegistryFactory.Create(Options))
        {
            await registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));
        }

        var existing = Path.Combine(_root, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => SqliteBackup.BackupAsync(Options, existing));

        Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
    }

    [Fact]
    public async Task A_backup_of_a_store_that_does_not_exist_is_refused_and_creates_nothing()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => SqliteBackup.BackupAsync(Options, Path.Combine(_root, "copy.db")));

        Assert.Contains($"there is no SQLite store at {Options.SqliteDatabasePath}", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Options.DataDirectory));
        Assert.False(File.Exists(Path.Combine(_root, "copy.db")));
    }

    [Fact]
    public async Task PostgreSQL_is_refused_with_the_pg_dump_command_to_run_instead()
    {
        var options = new StorageOptions { PostgresConnectionString = "Host=db.internal;Port=5433;Database=leads;Username=lead scorer;Password=secret" };

        await Assert.ThrowsAsync<ArgumentException>(() => SqliteBackup.BackupAsync(options, Path.Combine(_root, "copy.db")));
        Assert.Equal(
            "pg_dump --format=custom --file=/backups/leads.dump --host=db.internal --port=5433 --username='lead scorer' --dbname=leads",
            SqliteBackup.PgDumpCommand(options, "/backups/leads.dump"));
    }
}
