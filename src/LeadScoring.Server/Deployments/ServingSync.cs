using LeadScoring.Server.Serving;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// The one way the served snapshot follows the store: the champion (<see cref="ProductionModelSync"/>) first, then the
/// deployment beside it (<see cref="DeploymentSync"/>), under one gate, so a promotion and a deployment change are
/// never applied in an interleaved order (a deployment checked against one champion and set beside another).
/// </summary>
public sealed class ServingSync(ProductionModelSync production, DeploymentSync deployments) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Brings champion and deployment up to date; <paramref name="force"/> re-reads both even when no change token moved.</summary>
    public async Task SyncAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await production.SyncAsync(force, cancellationToken).ConfigureAwait(false);
            await deployments.SyncAsync(force, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
