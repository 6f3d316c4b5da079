using System.CommandLine;
using System.Globalization;
using LeadScoring.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore backup --out FILE`: a consistent copy of the SQLite store, taken while the service runs.</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The copy to write (must not exist yet)", Required = true };
        var store = StoreOptions.Create();

        var command = new Command(
            "backup",
            "Copy the SQLite store consistently while the service runs (SQLite's online backup; copying leadscoring.db alone loses what is still in its -wal file). For PostgreSQL, use pg_dump.")
        {
            output,
        };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            // The same store the other commands use: --data-dir/--postgres, else the environment, else ./data.
            await using var services = CliHost.Build(result, store);
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var destination = result.GetValue(output)!;
            if (options.UsesPostgres)
            {
                await stderr.WriteLineAsync($"error: backup copies the SQLite store; the registry is in PostgreSQL, so back it up with pg_dump:\n  {SqliteBackup.PgDumpCommand(options, destination)}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            if (Path.GetDirectoryName(Path.GetFullPath(destination)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            var bytes = await SqliteBackup.BackupAsync(options, destination, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"backed up {options.SqliteDatabasePath} to {Path.GetFullPath(destination)} ({bytes:N0} bytes)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
