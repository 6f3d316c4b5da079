using System.Globalization;
using LeadScoring.Server.Predictions;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Health;

/// <summary>
/// Readiness of the prediction log: whether its store takes writes (the store's write check, and the writer's last
/// failure until a batch commits again or the check proves its cause gone), the queue's depth, and the scores served
/// unlogged since start. Unhealthy when the log cannot be written under fail-closed (every score would get a 503);
/// Degraded under serve-unlogged while it cannot be written, and from the first unlogged score on until a restart
/// (the log has a gap an operator should know about; Degraded still answers 200, so the instance keeps its traffic).
/// Public, so it names causes but not paths or provider messages.
/// </summary>
internal sealed class PredictionLogCheck(
    PredictionLog log, PredictionQueue queue, PredictionLogStatus status, IOptions<PredictionLoggingOptions> options, IOptions<StorageOptions> storage) : IHealthCheck
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return HealthCheckResult.Healthy($"prediction log off ({PredictionLoggingOptions.SectionName}:Enabled=false): scores are not recorded");
        }

        var notWritable = await WriteCheckAsync(cancellationToken).ConfigureAwait(false);
        if (notWritable is null)
        {
            // On PostgreSQL the check writes nothing, so a full disk there stays reported until a batch commits.
            status.WriteCheckPassed(checkSeesFullDisk: !storage.Value.UsesPostgres);
            notWritable = status.LastFailure?.Summary;
        }

        var unlogged = status.Unlogged;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{(notWritable is null ? "prediction log writable" : "prediction log not writable: " + notWritable)}; queue {queue.Depth} of {queue.Capacity} records; {Unlogged(unlogged)}");
        if (notWritable is not null)
        {
            return o.ServesUnlogged ? HealthCheckResult.Degraded(description) : HealthCheckResult.Unhealthy(description);
        }

        return unlogged.Count > 0 ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
    }

    private static string Unlogged(UnloggedScores unlogged) => unlogged.Count == 0
        ? "no scores served unlogged"
        : string.Create(CultureInfo.InvariantCulture, $"{unlogged.Count} scores served unlogged since start (OnStoreFailure=serve-unlogged), from {unlogged.First:O} to {unlogged.Last:O}, last because {unlogged.LastCause}");

    /// <summary>Null when the store takes writes, else the cause.</summary>
    private async Task<string?> WriteCheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var check = await log.CheckWritableAsync(timeout.Token).ConfigureAwait(false);
            return check.Fault is { } fault ? StoreWriteStatus.Describe(fault) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the store gave no answer within 5 s";
        }
    }
}
