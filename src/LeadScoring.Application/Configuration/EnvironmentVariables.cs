using Microsoft.Extensions.Configuration;

namespace LeadScoring.Application.Configuration;

/// <summary>
/// The one map of the product's own <c>LEADSCORING_*</c> environment variables onto configuration keys, used by
/// the server and the CLI alike (the usual ASPNETCORE_* and Section__Key variables keep working in the server).
/// </summary>
public static class EnvironmentVariables
{
    /// <summary>Data directory of the SQLite registry → <c>Storage:DataDirectory</c>.</summary>
    public const string DataDirectory = "LEADSCORING_DATA_DIR";

    /// <summary>PostgreSQL connection string → <c>Storage:PostgresConnectionString</c>.</summary>
    public const string Postgres = "LEADSCORING_POSTGRES";

    /// <summary>Admin key of the registry routes → <c>LeadScoring:Admin:Key</c>.</summary>
    public const string AdminKey = "LEADSCORING_ADMIN_KEY";

    /// <summary>Second key that may post outcomes (not manage models) → <c>LeadScoring:Ingest:Key</c>.</summary>
    public const string IngestKey = "LEADSCORING_INGEST_KEY";

    /// <summary>The served model → <c>LeadScoring:Serving:ModelName</c>.</summary>
    public const string ModelName = "LEADSCORING_MODEL";

    /// <summary>Environment variable → configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DataDirectory] = "Storage:DataDirectory",
        [Postgres] = "Storage:PostgresConnectionString",
        [AdminKey] = "LeadScoring:Admin:Key",
        [IngestKey] = "LeadScoring:Ingest:Key",
        [ModelName] = "LeadScoring:Serving:ModelName",
    };

    /// <summary>
    /// The configuration values of the variables that are set (and not empty), keyed by configuration key.
    /// <paramref name="read"/> reads one variable (default: the process environment), so tests need not change it.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Values(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Keys)
        {
            if (read(variable) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Adds the variables that are set; add it after appsettings and before the command line, so it overrides the first but not the second.</summary>
    public static IConfigurationBuilder AddLeadScoringEnvironment(this IConfigurationBuilder configuration, Func<string, string?>? read = null) =>
        configuration.AddInMemoryCollection(Values(read));
}
