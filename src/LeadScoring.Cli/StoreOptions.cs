using System.CommandLine;

namespace LeadScoring.Cli;

/// <summary>The options every registry-using command shares: where the store is.</summary>
internal sealed record StoreOptions(Option<string> DataDirectory, Option<string?> Postgres)
{
    /// <summary>The data directory default: LEADSCORING_DATA_DIR, else ./data.</summary>
    public static string DefaultDataDirectory => Environment.GetEnvironmentVariable("LEADSCORING_DATA_DIR") is { Length: > 0 } dir ? dir : "data";

    public static StoreOptions Create() => new(
        new Option<string>("--data-dir") { Description = "Data directory: SQLite registry and model cache (env LEADSCORING_DATA_DIR, default ./data)", DefaultValueFactory = _ => DefaultDataDirectory },
        new Option<string?>("--postgres") { Description = "PostgreSQL connection string for the registry instead of SQLite (env LEADSCORING_POSTGRES)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LEADSCORING_POSTGRES") });
}
