using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Support;

/// <summary>The application's services over a real SQLite registry in a scratch folder, with a fake clock.</summary>
public sealed class ApplicationHost : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadscoring-app-").FullName;

    public ApplicationHost()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IModelRegistry>(sp => ModelRegistryFactory.Create(new StorageOptions { DataDirectory = _root }, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Deployments.DeploymentStoreFactory.Create(new StorageOptions { DataDirectory = _root }, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Feedback.FeedbackReaderFactory.Create(new StorageOptions { DataDirectory = _root }, sp.GetRequiredService<TimeProvider>()));
        services.AddLeadScoringApplication();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; }

    public IModelRegistry Registry => Services.GetRequiredService<IModelRegistry>();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
