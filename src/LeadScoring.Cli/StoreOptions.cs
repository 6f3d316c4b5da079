using System.CommandLine;
using LeadScoring.Application.Configuration;
using LeadScoring.Storage;

namespace LeadScoring.Cli;

/// <summary>
/// The options every registry-using command shares: where the store is. When not given, the value comes from the
/// environment (the shared <see cref="EnvironmentVariables"/> map) and then the default, through the CLI's configuration.
/// </summary>
internal sealed record StoreOptions(Option<string?> DataDirectory, Option<string?> Postgres)
{
    /// <summary>Who the audit log records for commands run from this shell.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    public static StoreOptions Create() => new(
        new Option<string?>("--data-dir") { Description = $"Data directory holding the SQLite registry (env {EnvironmentVariables.DataDirectory}, default ./data)" },
        new Option<string?>("--postgres") { Description = $"PostgreSQL connection string for the registry instead of SQLite (env {EnvironmentVariables.Postgres})" });

    /// <summary>Adds both options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Add(DataDirectory);
        command.Add(Postgres);
    }

    /// <summary>The configuration values given on the command line (they override the environment).</summary>
    public IEnumerable<KeyValuePair<string, string?>> ConfigurationValues(ParseResult result)
    {
        if (result.GetValue(DataDirectory) is { Length: > 0 } directory)
        {
            yield return new($"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}", directory);
        }

        if (result.GetValue(Postgres) is { Length: > 0 } postgres)
        {
            yield return new($"{StorageOptions.SectionName}:{nameof(StorageOptions.PostgresConnectionString)}", postgres);
        }
    }
}
