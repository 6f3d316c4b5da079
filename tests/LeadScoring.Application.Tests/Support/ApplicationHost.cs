using LeadScoring.Storage;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Support;

/// <summary>
/// The application's services over real SQLite stores (registry, deployments, prediction log, outcomes, feedback,
/// monitoring) in a
/// scratch folder, with a fake clock, resolved the way the hosts resolve them.
/// </summary>
public sealed class ApplicationHost : IAsyncDisposable
{
    /// <summary>Where the fake clock starts unless a test says otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public ApplicationHost(DateTimeOffset? start = null)
    {
        Clock = new FakeTimeProvider(start ?? DefaultStart);
        var options = new StorageOptions { DataDirectory = DataDirectory };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IModelRegistry>(sp => ModelRegistryFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => DeploymentStoreFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => PredictionLogFactory.Create(options, null, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => OutcomeStoreFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => FeedbackReaderFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => MonitoringStoreFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Retraining.RetrainingStoreFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Alerting.AlertStoreFactory.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddLeadScoringApplication();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The scratch data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("leadscoring-app-").FullName;

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public IModelRegistry Registry => Services.GetRequiredService<IModelRegistry>();

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(DataDirectory))
        {
            return;
        }

        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
