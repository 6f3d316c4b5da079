using System.Collections.Concurrent;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// Hands a window's rows from the thread stepping the database to a second thread that parses their features into a
/// <see cref="MonitoringWindowBuilder"/>: the database's work and the parsing take about as long each, so on two
/// cores a window reads in about half the time. The stepping thread keeps each lead's first row only (the lead ids
/// seen are kept as UTF-8 in a <see cref="Utf8KeySet"/>, not as strings), which also balances the two threads' work.
/// Rows travel in pooled chunks (the row's bytes copied into one buffer), so the hand-off allocates nothing per row.
/// Rows reach the builder in the order they were added, so the columns are the same as a single-threaded read's.
/// </summary>
internal sealed class MonitoringWindowPipeline : IDisposable
{
    private const int ChunkRows = 2048;
    private const int QueuedChunks = 4;

    private readonly Utf8KeySet _leads = new();
    private readonly BlockingCollection<RowChunk> _full = new(QueuedChunks);
    private readonly ConcurrentBag<RowChunk> _free = [];
    private readonly CancellationTokenSource _consumerFailed = new();
    private readonly Task _consumer;
    private RowChunk _chunk = new();
    private bool _completed;

    public MonitoringWindowPipeline(MonitoringWindowBuilder builder)
    {
        _consumer = Task.Factory.StartNew(() => Consume(builder), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// True when the lead of <paramref name="leadIdUtf8"/> (compared byte for byte) was not seen yet: the caller then
    /// adds its row with <see cref="Add"/>; rows come in the window's order, so the first is the lead's first score.
    /// </summary>
    public bool IsFirst(ReadOnlySpan<byte> leadIdUtf8) => _leads.Add(leadIdUtf8);

    /// <summary>Queues a lead's first row; the spans are copied.</summary>
    public void Add(long scoredAtTicks, int version, double score, ReadOnlySpan<byte> band, ReadOnlySpan<byte> featuresJson, bool? converted, double? revenue)
    {
        _chunk.Add(scoredAtTicks, version, score, band, featuresJson, converted, revenue);
        if (_chunk.Count == ChunkRows)
        {
            Hand();
        }
    }

    /// <summary>Waits until the builder holds every row added; rethrows what the building thread threw.</summary>
    public async Task CompleteAsync()
    {
        if (_chunk.Count > 0)
        {
            Hand();
        }

        _completed = true;
        _full.CompleteAdding();
        await _consumer.ConfigureAwait(false);
    }

    /// <summary>After a failed read: stops the building thread and waits for it, so nothing outlives the read.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _full.CompleteAdding();
            try
            {
                _consumer.GetAwaiter().GetResult();
            }
#pragma warning disable CA1031 // The read's own exception is the one to report; the builder's is a consequence.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _full.Dispose();
        _consumerFailed.Dispose();
    }

    private void Hand()
    {
        try
        {
            _full.Add(_chunk, _consumerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            // The building thread failed: its exception is the one to report.
            _consumer.GetAwaiter().GetResult();
            throw;
        }

        _chunk = _free.TryTake(out var free) ? free : new RowChunk();
    }

    private void Consume(MonitoringWindowBuilder builder)
    {
        try
        {
            foreach (var chunk in _full.GetConsumingEnumerable())
            {
                chunk.AddTo(builder);
                chunk.Clear();
                _free.Add(chunk);
            }
        }
        catch
        {
            _consumerFailed.Cancel();
            throw;
        }
    }

    /// <summary>Up to <see cref="ChunkRows"/> rows: fixed-size fields in arrays, each row's band and features back to back in one buffer.</summary>
    private sealed class RowChunk
    {
        private readonly long[] _scoredAt = new long[ChunkRows];
        private readonly int[] _versions = new int[ChunkRows];
        private readonly double[] _scores = new double[ChunkRows];
        private readonly bool?[] _converted = new bool?[ChunkRows];
        private readonly double?[] _revenue = new double?[ChunkRows];
        private readonly int[] _bandEnd = new int[ChunkRows];
        private readonly int[] _end = new int[ChunkRows];
        private byte[] _bytes = new byte[ChunkRows * 320];
        private int _used;

        public int Count { get; private set; }

        public void Add(long scoredAtTicks, int version, double score, ReadOnlySpan<byte> band, ReadOnlySpan<byte> featuresJson, bool? converted, double? revenue)
        {
            var length = (long)band.Length + featuresJson.Length;
            if (length > _bytes.Length - _used)
            {
                Array.Resize(ref _bytes, checked((int)Math.Max((long)_bytes.Length * 2, _used + length)));
            }

            var i = Count;
            _scoredAt[i] = scoredAtTicks;
            _versions[i] = version;
            _scores[i] = score;
            _converted[i] = converted;
            _revenue[i] = revenue;
            band.CopyTo(_bytes.AsSpan(_used));
            _used += band.Length;
            _bandEnd[i] = _used;
            featuresJson.CopyTo(_bytes.AsSpan(_used));
            _used += featuresJson.Length;
            _end[i] = _used;
            Count++;
        }

        public void AddTo(MonitoringWindowBuilder builder)
        {
            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                builder.Add(
                    _scoredAt[i], _versions[i], _scores[i], _bytes.AsSpan(start, _bandEnd[i] - start),
                    _bytes.AsSpan(_bandEnd[i], _end[i] - _bandEnd[i]), _converted[i], _revenue[i]);
                start = _end[i];
            }
        }

        public void Clear()
        {
            Count = 0;
            _used = 0;
        }
    }
}
