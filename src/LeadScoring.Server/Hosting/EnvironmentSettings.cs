namespace LeadScoring.Server.Hosting;

/// <summary>
/// The product's own environment variables, mapped onto configuration keys (the usual ASPNETCORE_* and
/// Section__Key variables keep working too).
/// </summary>
public static class EnvironmentSettings
{
    /// <summary>Environment variable → configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["LEADSCORING_DATA_DIR"] = "Storage:DataDirectory",
        ["LEADSCORING_POSTGRES"] = "Storage:PostgresConnectionString",
        ["LEADSCORING_ADMIN_KEY"] = "LeadScoring:Admin:Key",
        ["LEADSCORING_MODEL"] = "LeadScoring:Serving:ModelName",
    };

    /// <summary>Adds the variables that are set, so they override appsettings but not the command line.</summary>
    public static IConfigurationBuilder AddLeadScoringEnvironment(this IConfigurationBuilder configuration)
    {
        var values = Variables
            .Select(v => (Key: v.Value, Value: Environment.GetEnvironmentVariable(v.Key)))
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .ToDictionary(v => v.Key, v => v.Value);
        return configuration.AddInMemoryCollection(values);
    }
}
