using LeadScoring.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Cli.Tests.Commands;

public sealed class BackupCommandTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<object?> QueryAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Backup_writes_a_consistent_copy_of_the_SQLite_store_and_never_overwrites_it()
    {
        var data = _dir["data"];
        await using (var registry = LeadScoring.Storage.ModelRegistryFactory.Create(new LeadScoring.Storage.StorageOptions { DataDirectory = data }))
        {
            await registry.RegisterAsync(new LeadScoring.Storage.Registry.NewModelVersion("leads", [1, 2, 3], "{}", "alice"));
            await registry.RegisterAsync(new LeadScoring.Storage.Registry.NewModelVersion("leads", [4, 5, 6], "{}", "alice"));
        }

        var (exit, stdout, stderr) = await Leadscore.RunAsync("backup", "--out", _dir["copy.db"], "--data-dir", data);
        var again = await Leadscore.RunAsync("backup", "--out", _dir["copy.db"], "--data-dir", data);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith($"backed up {Path.Combine(data, "leadscoring.db")} to {_dir["copy.db"]} (", stdout, StringComparison.Ordinal);
        Assert.Equal("ok", await QueryAsync(_dir["copy.db"], "PRAGMA integrity_check"));
        Assert.Equal(2L, await QueryAsync(_dir["copy.db"], "SELECT COUNT(*) FROM model_versions"));
        Assert.Equal(1, again.Exit);
        Assert.Contains("already exists; backup never overwrites a file", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_of_a_missing_store_exits_1_and_creates_nothing()
    {
        var (exit, _, stderr) = await Leadscore.RunAsync("backup", "--out", _dir["copy.db"], "--data-dir", _dir["typo"]);

        Assert.Equal(1, exit);
        Assert.Contains($"there is no SQLite store at {Path.Combine(_dir["typo"], "leadscoring.db")}", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["typo"]));
        Assert.False(File.Exists(_dir["copy.db"]));
    }

    [Fact]
    public async Task Backup_with_postgres_exits_1_and_prints_the_pg_dump_command()
    {
        var (exit, stdout, stderr) = await Leadscore.RunAsync("backup", "--out", "leads.dump", "--postgres", "Host=db.internal;Database=leads;Username=scorer;Password=secret");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("back it up with pg_dump", stderr, StringComparison.Ordinal);
        Assert.Contains("pg_dump --format=custom --file=leads.dump --host=db.internal --port=5432 --username=scorer --dbname=leads", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_without_data_dir_finds_the_store_through_LEADSCORING_DATA_DIR_like_every_other_command()
    {
        var data = _dir["from-env"];
        await using (var registry = LeadScoring.Storage.ModelRegistryFactory.Create(new LeadScoring.Storage.StorageOptions { DataDirectory = data }))
        {
            await registry.RegisterAsync(new LeadScoring.Storage.Registry.NewModelVersion("leads", [1, 2, 3], "{}", "alice"));
        }

        // A real process: the environment is the process's own, so no other test sees the variable.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "leadscore.dll"), "backup", "--out", _dir["env-copy.db"] })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LEADSCORING_DATA_DIR"] = data;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        Assert.Equal(1L, await QueryAsync(_dir["env-copy.db"], "SELECT COUNT(*) FROM model_versions"));
        Assert.False(Directory.Exists(_dir["data"]));
    }
}
