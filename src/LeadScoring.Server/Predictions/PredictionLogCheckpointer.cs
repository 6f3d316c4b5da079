using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Predictions;

/// <summary>
/// Copies the SQLite log's write-ahead log into its file on a thread of its own while the writer commits. The
/// writer's connection checkpoints by itself every 1,000 pages, and meanwhile every request of the next batch waits:
/// done here every <see cref="Interval"/>, the copying and its fsyncs happen beside the writer, and the writer's own
/// checkpoint has only the last few pages left (it still does that, so the write-ahead log starts over). Runs only
/// after commits; a failed pass is left to the writer's checkpoint. Nothing to do on PostgreSQL.
/// </summary>
internal sealed partial class PredictionLogCheckpointer(PredictionLog log, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>How often a pass runs while the writer commits.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private int _committed;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "log checkpointer" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit: the next pass has something to copy.</summary>
    public void Committed() => Volatile.Write(ref _committed, 1);

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Task.Delay(Interval, time, _stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Interlocked.Exchange(ref _committed, 0) == 0)
            {
                continue;
            }

            try
            {
                if (!log.CheckpointAsync(_stop.Token).GetAwaiter().GetResult())
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogCheckpointFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "a checkpoint of the prediction log failed; the writer's own checkpoint copies the pages instead")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
