using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>The deployments under test, the registry they promote in and the lease, each on its own connections to one database (as the server opens them).</summary>
public sealed class DeploymentStores : IAsyncDisposable
{
    internal DeploymentStores(SqlDatabase deployments, SqlDatabase registry, SqlDatabase lease)
    {
        Deployments = new DeploymentStore(deployments);
        Registry = new ModelRegistry(registry);
        Lease = new StoreLease(lease);
    }

    public DeploymentStore Deployments { get; }

    public ModelRegistry Registry { get; }

    public StoreLease Lease { get; }

    public async ValueTask DisposeAsync()
    {
        await Deployments.DisposeAsync();
        await Registry.DisposeAsync();
        await Lease.DisposeAsync();
    }
}
