using System.CommandLine;
using LeadScoring.Storage;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Cli;

/// <summary>The options every registry-using command shares: where the store is.</summary>
internal sealed record StoreOptions(Option<string> DataDirectory, Option<string?> Postgres)
{
    /// <summary>The data directory default: LEADSCORING_DATA_DIR, else ./data.</summary>
    public static string DefaultDataDirectory => Environment.GetEnvironmentVariable("LEADSCORING_DATA_DIR") is { Length: > 0 } dir ? dir : "data";

    /// <summary>Who the audit log records for commands run from this shell.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    public static StoreOptions Create() => new(
        new Option<string>("--data-dir") { Description = "Data directory holding the SQLite registry (env LEADSCORING_DATA_DIR, default ./data)", DefaultValueFactory = _ => DefaultDataDirectory },
        new Option<string?>("--postgres") { Description = "PostgreSQL connection string for the registry instead of SQLite (env LEADSCORING_POSTGRES)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LEADSCORING_POSTGRES") });

    /// <summary>Adds both options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Add(DataDirectory);
        command.Add(Postgres);
    }

    /// <summary>Opens the registry these options point at.</summary>
    public ModelRegistry Open(ParseResult result) => ModelRegistryFactory.Create(new StorageOptions
    {
        DataDirectory = result.GetValue(DataDirectory)!,
        PostgresConnectionString = result.GetValue(Postgres),
    });
}
