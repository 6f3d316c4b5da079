using System.Collections.Concurrent;
using LeadScoring.Application.Alerting;
using LeadScoring.Core.Deployments;

namespace LeadScoring.Server.Alerting.Operations;

/// <summary>
/// This replica's scoring requests per minute (the host's clock): how many, how many ended in a server error, and a
/// latency histogram; what the error-rate and latency rules read every minute. Lock-free on the request path: one
/// dictionary lookup and a few Interlocked increments. Minutes older than an hour are dropped.
/// </summary>
public sealed class LiveScoringCounters(TimeProvider time)
{
    private static readonly TimeSpan Kept = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<long, Cell> _minutes = new();

    /// <summary>Counts one scoring request that took <paramref name="milliseconds"/> and failed with a server error when <paramref name="serverError"/>.</summary>
    public void Record(double milliseconds, bool serverError)
    {
        var cell = _minutes.GetOrAdd(MinuteOf(time.GetUtcNow()), static _ => new Cell());
        Interlocked.Increment(ref cell.Requests);
        if (serverError)
        {
            Interlocked.Increment(ref cell.Errors);
        }

        Interlocked.Increment(ref cell.Buckets[LatencyHistogram.BucketOf(milliseconds * 1000)]);
    }

    /// <summary>The figures of the whole minutes in [<paramref name="end"/> − <paramref name="window"/>, <paramref name="end"/>); forgets minutes older than an hour.</summary>
    public LiveOperations Read(DateTimeOffset end, TimeSpan window)
    {
        var last = MinuteOf(end);
        var first = MinuteOf(end - window);
        var histogram = new LatencyHistogram();
        long requests = 0, errors = 0;
        foreach (var (minute, cell) in _minutes)
        {
            if (minute < MinuteOf(end - Kept))
            {
                _minutes.TryRemove(minute, out _);
            }
            else if (minute >= first && minute < last)
            {
                requests += Interlocked.Read(ref cell.Requests);
                errors += Interlocked.Read(ref cell.Errors);
                histogram.Merge((long[])cell.Buckets.Clone());
            }
        }

        return new LiveOperations(requests, errors, histogram.Quantile(0.95) / 1000, window);
    }

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerMinute;

    private sealed class Cell
    {
        public long Requests;
        public long Errors;
        public readonly long[] Buckets = new long[LatencyHistogram.BucketCount];
    }
}
