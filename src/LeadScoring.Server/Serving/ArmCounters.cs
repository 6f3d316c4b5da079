using System.Collections.Concurrent;
using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;

namespace LeadScoring.Server.Serving;

/// <summary>
/// What one replica counted for one arm of one deployment in one minute, in total so far (the store replaces its row of
/// the same deployment, arm, minute and replica with it, so sending a row again never counts twice).
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
/// one dictionary lookup and a few Interlocked increments. The counts are running totals per minute:
/// <see cref="CollectChanged"/> gives the totals of the minutes counted into since the last collection, which the
/// flush writes over the store's row (replace, not add: a retried flush never counts twice).
/// </summary>
public sealed class ArmCounters(TimeProvider time)
{
    // A cell collected with nothing new is removed only this many minutes after its minute: a lead counts into the cell of the
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
        Volatile.Write(ref cell.Changed, 1);
    }

    /// <summary>
    /// The totals of every deployment, arm and minute counted into since the last collection (oldest minute first).
    /// A count made while this runs is in this collection or marks its minute for the next one, never lost. A minute
    /// collected with nothing new and two minutes old is forgotten: no lead counts into it any more.
    /// </summary>
    public IReadOnlyList<ArmMinuteCount> CollectChanged()
    {
        var now = CurrentMinute();
        var rows = new List<ArmMinuteCount>();
        foreach (var (key, cell) in _cells)
        {
            // Cleared before reading: a count landing after this sets the flag again and is sent next time.
            if (Interlocked.Exchange(ref cell.Changed, 0) == 0)
            {
                if (now - key.Minute >= IdleMinutesBeforeRemoval)
                {
                    _cells.TryRemove(new KeyValuePair<Key, Cell>(key, cell));
                }

                continue;
            }

            var buckets = new long[LatencyHistogram.BucketCount];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = Interlocked.Read(ref cell.Buckets[i]);
            }

            // Errors read before requests, so a row never shows more errors than requests.
            var errors = Interlocked.Read(ref cell.Errors);
            var requests = Interlocked.Read(ref cell.Requests);
            rows.Add(new ArmMinuteCount(key.DeploymentId, ServingArmNames.Of(key.Arm), new DateTimeOffset(key.Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero), requests, errors, buckets));
        }

        rows.Sort(static (a, b) => (a.Minute, a.DeploymentId, a.Arm).CompareTo((b.Minute, b.DeploymentId, b.Arm)));
        return rows;
    }

    /// <summary>Marks the minutes of <paramref name="rows"/> as changed again (writing them failed), so the next collection carries their totals.</summary>
    public void MarkUnflushed(IEnumerable<ArmMinuteCount> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            var arm = Enum.GetValues<ServingArm>().First(a => ServingArmNames.Of(a) == row.Arm);
            if (_cells.TryGetValue(new Key(row.DeploymentId, arm, row.Minute.UtcTicks / TimeSpan.TicksPerMinute), out var cell))
            {
                Volatile.Write(ref cell.Changed, 1);
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
        public int Changed;
    }
}
