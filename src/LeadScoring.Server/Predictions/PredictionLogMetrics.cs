using System.Diagnostics.Metrics;

namespace LeadScoring.Server.Predictions;

/// <summary>
/// The prediction log's instruments (Meter <see cref="MeterName"/>): rows and batches the writer committed, the
/// size of each batch, failed batches, scores served unlogged, requests refused for lack of room, and the queue's
/// depth. The metrics exporter (issue 9) reads them; tests read them with a MeterListener.
/// </summary>
internal sealed class PredictionLogMetrics
{
    public const string MeterName = "LeadScoring.Predictions";

    private readonly Counter<long> _rows;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _failedBatches;
    private readonly Counter<long> _unlogged;
    private readonly Counter<long> _refused;
    private readonly Histogram<int> _batchSize;

    public PredictionLogMetrics(IMeterFactory meters, PredictionQueue queue)
    {
        var meter = meters.Create(MeterName);
        _rows = meter.CreateCounter<long>("leadscoring.predictions.rows", "{row}", "Predictions committed to the log");
        _batches = meter.CreateCounter<long>("leadscoring.predictions.batches", "{batch}", "Transactions the writer committed");
        _failedBatches = meter.CreateCounter<long>("leadscoring.predictions.failed_batches", "{batch}", "Batches the store refused (their requests failed or were served unlogged)");
        _unlogged = meter.CreateCounter<long>("leadscoring.predictions.unlogged", "{score}", "Scores answered although their records could not be committed (OnStoreFailure=serve-unlogged)");
        _refused = meter.CreateCounter<long>("leadscoring.predictions.queue_full", "{request}", "Requests refused with 503 because the queue had no room within MaxQueueWait");
        _batchSize = meter.CreateHistogram<int>(
            "leadscoring.predictions.batch_size",
            "{row}",
            "Rows per committed batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] });
        meter.CreateObservableGauge("leadscoring.predictions.queue_depth", () => queue.Depth, "{row}", "Records accepted and not yet committed");
    }

    public void Committed(int rows)
    {
        _rows.Add(rows);
        _batches.Add(1);
        _batchSize.Record(rows);
    }

    public void Failed() => _failedBatches.Add(1);

    public void ServedUnlogged(int scores) => _unlogged.Add(scores);

    public void QueueFull() => _refused.Add(1);
}
