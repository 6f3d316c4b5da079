using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Health;

/// <summary>
/// Ready only when the registry's store takes writes: the store's own write check (SQLite writes, flushes and deletes
/// a small file beside the database and opens it, so a full or read-only disk and a corrupt file fail here;
/// PostgreSQL must answer within 5 s and not be read-only), and the last registry write did not meet a store fault
/// the check cannot see (a full disk on the PostgreSQL server) without a later write going through. The answer is
/// public, so it names the cause but not the database's path or the provider's message (the log and the admin
/// routes' 503 carry those).
/// </summary>
public sealed class StoreWritableCheck(IModelRegistry registry, IOptions<StorageOptions> storage, StoreWriteStatus writes) : IHealthCheck
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        StoreWriteCheck check;
        try
        {
            check = await registry.CheckWritableAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("registry store unreachable: no answer within 5 s");
        }

        if (check.Fault is { } fault)
        {
            return fault == StoreFault.Unreachable
                ? HealthCheckResult.Unhealthy("registry store unreachable")
                : NotWritable(StoreWriteStatus.Describe(fault));
        }

        // What the check proved is gone; on PostgreSQL it writes nothing, so a full disk stays until a write succeeds.
        writes.Clear(StoreFault.Unreachable);
        writes.Clear(StoreFault.ReadOnly);
        writes.Clear(StoreFault.Corrupt);
        if (!storage.Value.UsesPostgres)
        {
            writes.Clear(StoreFault.Full);
        }

        return writes.LastFault is { } last
            ? NotWritable(StoreWriteStatus.Describe(last))
            : HealthCheckResult.Healthy("registry store reachable and writable");
    }

    private static HealthCheckResult NotWritable(string cause) => HealthCheckResult.Unhealthy("registry store not writable: " + cause);
}
