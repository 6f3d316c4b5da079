using System.Collections.Concurrent;
using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;

namespace LeadScoring.Server.Serving;

/// <summary>
/// What one replica counted for one arm of one deployment in one minute, since the last drain (the store adds rows of
/// the same deployment, arm, minute and replica up; the lead engineer maps it to the store's ArmMinute).
/// </summary>
/// <param name="DeploymentId">The deployment's id.</param>
/// <param name="Arm">champion, challenger or shadow.</param>
/// <param name="Minute">The minute (UTC, seconds zero) on the host's clock.</param>
/// <param name="Requests">Leads this arm scored or tried to score.</param>
/// <param name="Errors">Of those, the ones that failed (threw or ran out of time).</param>
/// <param name="LatencyBuckets">Scoring latencies as <see cref="LatencyHistogram"/> bucket counts.</param>
public sealed record ArmMinuteCount(long DeploymentId, string Arm, DateTimeOffset Minute, long Requests, long Errors, long[] LatencyBuckets);

/// <summary>
/// Per deployment, arm and minute (the host's clock): leads scored, errors, and a latency histogram, as the guardrails
/// and the analysis read them. Every lead of a deployment counts once, on the scoring path, so counting is lock-free:
/// one dictionary lookup and a few Interlocked increments. <see cref="Drain"/> takes what was counted so far.
/// </summary>
public sealed class ArmCounters(TimeProvider time)
{
    // A cell drained to zero is removed only this many minutes after its minute: a lead counts into the cell of the
    // minute it read a moment before, so a cell that old has no writer left.
    private const long IdleMinutesBeforeRemoval = 2;

    private readonly ConcurrentDictionary<Key, Cell> _cells = new();

    /// <summary>Counts one lead that <paramref name="arm"/> of deployment <paramref name="deploymentId"/> scored in <paramref name="latencyMicroseconds"/> (or failed to, when <paramref name="error"/>).</summary>
    public void Record(long deploymentId, ServingArm arm, long latencyMicroseconds, bool error = false)
    {
        var cell = _cells.GetOrAdd(new Key(deploymentId, arm, CurrentMinute()), static _ => new Cell());
        Interlocked.Increment(ref cell.Requests);
        if (error)
        {
            Interlocked.Increment(ref cell.Errors);
        }

        Interlocked.Increment(ref cell.Buckets[LatencyHistogram.BucketOf(latencyMicroseconds)]);
    }

    /// <summary>
    /// Takes every count made since the last drain, as one row per deployment, arm and minute that counted anything
    /// (oldest minute first); the counters start again from zero. Each count of a lead counted while a drain runs lands
    /// in this drain or the next, never in both and never in neither (its request and its latency may be split).
    /// </summary>
    public IReadOnlyList<ArmMinuteCount> Drain()
    {
        var now = CurrentMinute();
        var rows = new List<ArmMinuteCount>();
        foreach (var (key, cell) in _cells)
        {
            var requests = Interlocked.Exchange(ref cell.Requests, 0);
            var errors = Interlocked.Exchange(ref cell.Errors, 0);
            var buckets = new long[LatencyHistogram.BucketCount];
            var latencies = 0L;
            for (var i = 0; i < buckets.Length; i++)
            {
                latencies += buckets[i] = Interlocked.Exchange(ref cell.Buckets[i], 0);
            }

            if (requests != 0 || errors != 0 || latencies != 0)
            {
                rows.Add(new ArmMinuteCount(key.DeploymentId, ServingArmNames.Of(key.Arm), new DateTimeOffset(key.Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero), requests, errors, buckets));
            }
            else if (now - key.Minute >= IdleMinutesBeforeRemoval)
            {
                _cells.TryRemove(new KeyValuePair<Key, Cell>(key, cell));
            }
        }

        rows.Sort(static (a, b) => (a.Minute, a.DeploymentId, a.Arm).CompareTo((b.Minute, b.DeploymentId, b.Arm)));
        return rows;
    }

    /// <summary>Adds drained rows back (a flush to the store failed), so the next drain carries them again.</summary>
    public void Restore(IEnumerable<ArmMinuteCount> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            var arm = Enum.GetValues<ServingArm>().First(a => ServingArmNames.Of(a) == row.Arm);
            var cell = _cells.GetOrAdd(new Key(row.DeploymentId, arm, row.Minute.UtcTicks / TimeSpan.TicksPerMinute), static _ => new Cell());
            Interlocked.Add(ref cell.Requests, row.Requests);
            Interlocked.Add(ref cell.Errors, row.Errors);
            for (var i = 0; i < row.LatencyBuckets.Length && i < cell.Buckets.Length; i++)
            {
                Interlocked.Add(ref cell.Buckets[i], row.LatencyBuckets[i]);
            }
        }
    }

    private long CurrentMinute() => time.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;

    private readonly record struct Key(long DeploymentId, ServingArm Arm, long Minute);

    private sealed class Cell
    {
        public readonly long[] Buckets = new long[LatencyHistogram.BucketCount];
        public long Requests;
        public long Errors;
    }
}
