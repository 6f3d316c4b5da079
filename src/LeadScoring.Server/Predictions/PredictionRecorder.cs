using System.Globalization;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>Why a scored request cannot be answered with a 200: its records were not committed (a 503 with Retry-After).</summary>
/// <param name="Title">The problem's title.</param>
/// <param name="Detail">What happened and what to do.</param>
/// <param name="RetryAfterSeconds">The Retry-After header.</param>
public sealed record LogRefusal(string Title, string Detail, int RetryAfterSeconds);

/// <summary>
/// The scoring routes' side of the prediction log: hands one request's records to the writer as one unit and waits
/// until the transaction holding them has committed. When they cannot be committed, the configured policy decides:
/// fail-closed refuses the request (503), serve-unlogged answers it and counts the scores as unlogged. A request
/// that finds no room in the queue within MaxQueueWait is refused under either policy: nothing is dropped silently.
/// </summary>
public sealed class PredictionRecorder
{
    /// <summary>Seconds a client is asked to wait when the log cannot be written (as for the registry's store).</summary>
    public const int StoreFailureRetryAfterSeconds = 30;

    /// <summary>Seconds a client is asked to wait when the queue is full.</summary>
    public const int QueueFullRetryAfterSeconds = 1;

    private readonly PredictionQueue _queue;
    private readonly PredictionLogStatus _status;
    private readonly PredictionLogMetrics _metrics;
    private readonly bool _servesUnlogged;
    private readonly LogRefusal _queueFull;
    private readonly LogRefusal _shuttingDown;

    internal PredictionRecorder(PredictionQueue queue, PredictionLogStatus status, PredictionLogMetrics metrics, IOptions<PredictionLoggingOptions> options)
    {
        _queue = queue;
        _status = status;
        _metrics = metrics;
        var o = options.Value;
        Enabled = o.Enabled;
        _servesUnlogged = o.ServesUnlogged;
        _queueFull = new LogRefusal(
            "Prediction log busy",
            string.Create(CultureInfo.InvariantCulture, $"The prediction log's queue ({o.QueueCapacity} records) had no room within {o.MaxQueueWait.TotalSeconds:0.###} s: the log is written more slowly than leads arrive. Nothing was recorded; retry shortly."),
            QueueFullRetryAfterSeconds);
        _shuttingDown = new LogRefusal("Prediction log closed", "The service is shutting down and records no more scores. Nothing was recorded; retry on another instance or once it is back.", QueueFullRetryAfterSeconds);
    }

    /// <summary>False when LeadScoring:Predictions:Enabled is false: nothing is recorded, and scoring skips building records.</summary>
    public bool Enabled { get; }

    /// <summary>
    /// Hands <paramref name="record"/> to the log without waiting for it (shadow pair rows): false, at once, when the log is
    /// off, closed, or less than half of its queue is free (half stays for the requests, whose records are waited on).
    /// Its commit or failure counts in the writer's metrics like any other.
    /// </summary>
    public bool TryRecordDetached(PredictionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Enabled && _queue.TryEnqueue(new PendingPredictions([record]), _queue.Capacity / 2);
    }

    /// <summary>
    /// Records one request's <paramref name="records"/>: null once they are committed (or, with serve-unlogged, once
    /// their failure is counted); otherwise why the request must be refused.
    /// </summary>
    public async ValueTask<LogRefusal?> RecordAsync(PredictionRecord[] records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var unit = new PendingPredictions(records);
        if (!await _queue.EnqueueAsync(unit).ConfigureAwait(false))
        {
            if (_queue.IsClosed)
            {
                return _shuttingDown;
            }

            _metrics.QueueFull();
            return _queueFull;
        }

        if (await unit.Task.ConfigureAwait(false) is not { } failure)
        {
            return null;
        }

        if (_servesUnlogged)
        {
            _status.ServedUnlogged(records.Length, failure);
            _metrics.ServedUnlogged(records.Length);
            return null;
        }

        return new LogRefusal(
            "Prediction log unavailable",
            $"The prediction log cannot be written: {failure.Cause}. Nothing was recorded; retry once it is fixed.",
            StoreFailureRetryAfterSeconds);
    }
}
