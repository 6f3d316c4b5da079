using System.CommandLine;
using LeadScoring.Application;
using LeadScoring.Application.Configuration;
using LeadScoring.Storage;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli;

/// <summary>Whether a command only reads the registry (and so must find an existing one) or may create it.</summary>
internal enum StoreAccess
{
    /// <summary>Reads, or changes what must already be there (deployments): a missing SQLite registry is a mistyped --data-dir, not a store to create.</summary>
    ReadOnly,

    /// <summary>Writes: the store is created on first use.</summary>
    ReadWrite,
}

/// <summary>
/// The services a command resolves: configuration (the environment map, then the command's options), the clock,
/// the registry and the application's use cases. Nothing is opened until a command resolves it.
/// </summary>
internal static class CliHost
{
    /// <summary>Builds the services for one command; dispose the result (<c>await using</c>) to close the registry.</summary>
    public static ServiceProvider Build(ParseResult result, StoreOptions? store = null, StoreAccess access = StoreAccess.ReadWrite)
    {
        ArgumentNullException.ThrowIfNull(result);
        var configuration = new ConfigurationBuilder()
            .AddLeadScoringEnvironment()
            .AddInMemoryCollection(store?.ConfigurationValues(result) ?? [])
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.AddSingleton<IModelRegistry>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (access == StoreAccess.ReadOnly)
            {
                RequireExistingStore(options);
            }

            return ModelRegistryFactory.Create(options, sp.GetRequiredService<TimeProvider>());
        });
        // Opened only by the commands that resolve them (score --log, predictions, outcomes).
        services.AddSingleton(sp => PredictionLogFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, null, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => OutcomeStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => LeadScoring.Storage.Monitoring.MonitoringStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // The deployment commands open these first (not the registry), so they take the same read-only guard.
        services.AddSingleton(sp => FeedbackReaderFactory.Create(Existing(sp.GetRequiredService<IOptions<StorageOptions>>().Value, access), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Deployments.DeploymentStoreFactory.Create(Existing(sp.GetRequiredService<IOptions<StorageOptions>>().Value, access), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Alerting.AlertStoreFactory.Create(Existing(sp.GetRequiredService<IOptions<StorageOptions>>().Value, access), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Retraining.RetrainingStoreFactory.Create(Existing(sp.GetRequiredService<IOptions<StorageOptions>>().Value, access), sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<Application.Retraining.RetrainingSettings>().Bind(configuration.GetSection(Application.Retraining.RetrainingSettings.SectionName));
        services.AddLeadScoringApplication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static StorageOptions Existing(StorageOptions options, StoreAccess access)
    {
        if (access == StoreAccess.ReadOnly)
        {
            RequireExistingStore(options);
        }

        return options;
    }

    // Opening SQLite creates the file; for a read that would hide a mistyped --data-dir behind an empty registry.
    private static void RequireExistingStore(StorageOptions options)
    {
        if (!options.UsesPostgres && !File.Exists(options.SqliteDatabasePath))
        {
            throw new InvalidInputException(
                $"no registry at {Path.Combine(options.DataDirectory, StorageOptions.SqliteFileName)}; check --data-dir or {EnvironmentVariables.DataDirectory}");
        }
    }
}
