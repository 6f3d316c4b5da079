using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Writes this replica's arm counters to the store: the running totals of every minute counted into since the last
/// flush, each replacing the store's row of (deployment, arm, minute, this replica). A failed write marks the minutes
/// for the next flush; as rows are totals, sending one twice never counts twice.
/// </summary>
public sealed partial class ArmMinuteFlusher(ArmCounters counters, DeploymentStore store, ReplicaIdentity replica, ILogger<ArmMinuteFlusher> logger)
{
    /// <summary>Writes the changed minutes; false (logged, kept for the next flush) when the store refused.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var rows = counters.CollectChanged();
        if (rows.Count == 0)
        {
            return true;
        }

        try
        {
            await store.RecordArmMinutesAsync(
                replica.Id,
                rows.Select(r => new ArmMinute(r.DeploymentId, r.Arm, r.Minute, r.Requests, r.Errors, r.LatencyBuckets)).ToList(),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            counters.MarkUnflushed(rows);
            LogFlushFailed(logger, e, rows.Count);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not write {Rows} arm-counter minutes to the store; they go with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception error, int rows);
}
