using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Health;

/// <summary>
/// Ready only when the registry's store takes writes: for SQLite a small file is written, flushed to disk and
/// deleted in the database's directory (a full or read-only disk fails here); the database answers a read within
/// 5 s (an unreachable server or a corrupt file fails here); and the last registry write did not meet a store fault
/// these checks cannot see (e.g. a full disk on the PostgreSQL server) without a later write going through.
/// </summary>
public sealed class StoreWritableCheck(IModelRegistry registry, IOptions<StorageOptions> storage, StoreWriteStatus writes) : IHealthCheck
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!storage.Value.UsesPostgres)
        {
            if (ProbeDirectory(Path.GetDirectoryName(storage.Value.SqliteDatabasePath)!) is { } fault)
            {
                return NotWritable(StoreWriteStatus.Describe(fault));
            }

            // The probe's own write went through, so a full or read-only disk an earlier write met is gone.
            writes.Clear(StoreFault.Full);
            writes.Clear(StoreFault.ReadOnly);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            await registry.GetChangeTokenAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return StoreFaults.Classify(e) is { } fault and not StoreFault.Unreachable
                ? NotWritable(StoreWriteStatus.Describe(fault))
                : HealthCheckResult.Unhealthy("registry store unreachable");
        }

        writes.Clear(StoreFault.Unreachable);
        return writes.LastFailure is { } failure
            ? NotWritable(failure.Detail)
            : HealthCheckResult.Healthy("registry store reachable and writable");
    }

    private static HealthCheckResult NotWritable(string cause) => HealthCheckResult.Unhealthy("registry store not writable: " + cause);

    /// <summary>
    /// Writes, flushes to disk and deletes a small file in <paramref name="directory"/>; the fault that stopped
    /// it, or null when it went through (or the directory does not exist yet: the registry creates it on first use).
    /// </summary>
    public static StoreFault? ProbeDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                file.Write(new byte[64]);
                file.Flush(flushToDisk: true);
            }

            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return StoreFault.ReadOnly;
        }
        catch (IOException e)
        {
            return StoreFaults.Classify(e) ?? StoreFault.Unreachable;
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: when creating failed there is nothing to delete.
            }
        }
    }
}
