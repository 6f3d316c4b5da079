using System.Globalization;
using LeadScoring.Server.Health;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>
/// The one writer of the prediction log (group commit): opens a transaction, writes each request's records as it takes
/// them from the queue (whole requests, up to <see cref="PredictionLoggingOptions.MaxBatchSize"/> records) while the
/// requests behind are still being scored, commits when the queue runs dry, and only then completes their requests
/// (committed, or the failure), so a 200 means committed. At shutdown the queue is closed and drained: every accepted
/// record is committed or its request is failed. Logs one summary line when it ends.
/// </summary>
internal sealed partial class PredictionLogWriter(
    PredictionQueue queue,
    PredictionLog log,
    PredictionLogStatus status,
    PredictionLogMetrics metrics,
    IOptions<PredictionLoggingOptions> options,
    TimeProvider time,
    ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private const int GatherRounds = 8;
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMicroseconds(250);

    // Idle this long, the writer gives its connection back, so an idle service does not hold the log's file open.
    private static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(250);

    private CancellationTokenSource? _idle;
    private long _rows;
    private long _batches;
    private long _failedBatches;
    private int _largestBatch;
    private TimeSpan _busy;

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // No new records from here on; the loop drains what was accepted and ends.
        queue.Close();
        return base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        // A dedicated thread: SQLite's calls are synchronous, and on a thread-pool thread they would hold one of the
        // few workers the requests need for the whole write.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                ended.SetResult();
            }
            catch (Exception e)
            {
                ended.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "prediction log writer",
        };
        thread.Start();
        return ended.Task;
    }

    private void Run()
    {
        var maxBatch = options.Value.MaxBatchSize;
        var units = new List<PendingPredictions>();
        var reader = queue.Reader;
        var started = time.GetTimestamp();
        // One kept connection (and prepared INSERT) for every batch; a failed batch drops it and the next reopens.
        using var appender = new AppenderLease(log.OpenAppender());
        using var checkpointer = new PredictionLogCheckpointer(log, time, logger);
        checkpointer.Start();
        // Not stopped by stoppingToken: the loop ends when the closed queue is empty, so nothing accepted is dropped.
        // Blocks only when the queue is empty; under load the next batch is already waiting when a commit ends.
        while (reader.TryPeek(out _) || WaitForWork(reader, appender.Appender))
        {
            if (Write(appender.Appender, reader, units, maxBatch))
            {
                checkpointer.Committed();
            }

            units.Clear();
        }

        _idle?.Dispose();
        LogSummary(time.GetElapsedTime(started));
    }

    // Blocks this thread until the queue holds a unit (true) or is closed and drained (false); gives the
    // appender's connection back when nothing came within IdleRelease. One reset timer serves every wait.
    private bool WaitForWork(System.Threading.Channels.ChannelReader<PendingPredictions> reader, PredictionLogAppender appender)
    {
        if (_idle is null || !_idle.TryReset())
        {
            _idle?.Dispose();
            _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }

        _idle.CancelAfter(IdleRelease);
        try
        {
            return reader.WaitToReadAsync(_idle.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            appender.ReleaseConnectionAsync().GetAwaiter().GetResult();
        }

        return reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    // The next unit for a batch of `rows` rows, or false when none comes within a short gather. Under load more
    // requests are about to hand in their records: letting them run first (a few yields, GatherRounds at most, within
    // GatherWindow) gives one transaction more rows, and a commit costs about the same for 2 rows as for 50 (it
    // rewrites the pages it touched).
    private bool TryTake(System.Threading.Channels.ChannelReader<PendingPredictions> reader, int rows, int maxBatch, out PendingPredictions unit)
    {
        var gathering = 0L;
        for (var round = 0; ; round++)
        {
            if (reader.TryPeek(out unit!))
            {
                return Fits(unit, rows, maxBatch) && reader.TryRead(out _);
            }

            if (round == 0)
            {
                gathering = time.GetTimestamp();
            }
            else if (round >= GatherRounds || time.GetElapsedTime(gathering) >= GatherWindow)
            {
                return false;
            }

            Thread.Yield();
        }
    }

    // Whole units only: a request's records go into one transaction, even when it alone exceeds the batch size.
    private static bool Fits(PendingPredictions unit, int rows, int maxBatch) => rows == 0 || rows + unit.Records.Length <= maxBatch;

    // One batch: each unit is written as it is taken, while the requests behind it are still being scored, so when
    // the queue runs dry only the commit is left for the batch's requests to wait for. True when it committed.
    private bool Write(PredictionLogAppender appender, System.Threading.Channels.ChannelReader<PendingPredictions> reader, List<PendingPredictions> units, int maxBatch)
    {
        var began = time.GetTimestamp();
        PredictionLogFailure? failure = null;
        var rows = 0;
        try
        {
            // Synchronous on SQLite; on PostgreSQL this dedicated thread waits for the round trips.
            appender.BeginAsync(CancellationToken.None).GetAwaiter().GetResult();
            while (rows < maxBatch && TryTake(reader, rows, maxBatch, out var unit))
            {
                units.Add(unit);
                rows += unit.Records.Length;
                appender.AddAsync(unit.Records, CancellationToken.None).GetAwaiter().GetResult();
            }

            appender.CommitAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            appender.RollbackAsync().GetAwaiter().GetResult();
            // The batch fails with what is waiting now (at least one unit, even when the batch could not begin), so a
            // store that is down answers every waiting request instead of this loop retrying the same unit.
            while (rows < maxBatch && reader.TryPeek(out var waiting) && Fits(waiting, rows, maxBatch) && reader.TryRead(out _))
            {
                units.Add(waiting);
                rows += waiting.Records.Length;
            }

            failure = Describe(e);
            if (status.LastFailure is null)
            {
                LogWriteFailed(logger, rows, failure.Cause, e);
            }
        }

        _busy += time.GetElapsedTime(began);
        if (failure is null)
        {
            if (status.LastFailure is not null)
            {
                LogRecovered(logger, _failedBatches);
            }

            _rows += rows;
            _batches++;
            _largestBatch = Math.Max(_largestBatch, rows);
            metrics.Committed(rows);
            status.BatchCommitted();
        }
        else
        {
            _failedBatches++;
            metrics.Failed();
            status.BatchFailed(failure);
        }

        var room = 0;
        foreach (var unit in units)
        {
            room += queue.Room(unit);
            unit.TrySetResult(failure);
        }

        queue.Release(room);
        return failure is null;
    }

    private static PredictionLogFailure Describe(Exception e) => StoreFaults.Classify(e) is { } fault
        ? new(fault, StoreWriteStatus.Describe(fault, e))
        : new(null, $"the write failed ({e.GetType().Name}: {e.Message})");

    private void LogSummary(TimeSpan up)
    {
        var mean = _batches == 0 ? 0 : _rows / (double)_batches;
        var rate = _busy > TimeSpan.Zero ? (_rows / _busy.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) : "-";
        LogWriterSummary(logger, _rows, _batches, mean, _largestBatch, rate, _busy.TotalSeconds, up.TotalSeconds, _failedBatches);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "prediction log writer: {Rows} rows in {Batches} batches (mean {MeanBatch:F1}, max {MaxBatch} rows per batch); {RowsPerSecond} rows/s while a batch was open ({BusySeconds:F2} s of {UpSeconds:F1} s); {FailedBatches} batches failed")]
    private static partial void LogWriterSummary(ILogger logger, long rows, long batches, double meanBatch, int maxBatch, string rowsPerSecond, double busySeconds, double upSeconds, long failedBatches);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "the prediction log cannot be written: {Cause}; a batch of {Rows} rows failed (further failures are not logged until a batch commits again)")]
    private static partial void LogWriteFailed(ILogger logger, int rows, string cause, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "the prediction log is written again ({FailedBatches} batches failed since start)")]
    private static partial void LogRecovered(ILogger logger, long failedBatches);

    /// <summary>Disposes the appender synchronously at the end of the writer thread.</summary>
    private sealed class AppenderLease(PredictionLogAppender appender) : IDisposable
    {
        public PredictionLogAppender Appender => appender;

        public void Dispose() => appender.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
