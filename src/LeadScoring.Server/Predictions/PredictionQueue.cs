using System.Threading.Channels;
using LeadScoring.Server.Health;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>
/// The records of one request, handed to the writer as one unit: all committed in the same transaction, or none.
/// The writer completes it after that transaction commits (null) or fails (why). Continuations run on the thread
/// pool, so completing a batch's waiters never runs request code on the writer.
/// </summary>
internal sealed class PendingPredictions(PredictionRecord[] records) : TaskCompletionSource<PredictionLogFailure?>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public PredictionRecord[] Records { get; } = records;
}

/// <summary>Why a unit's records were not committed: the store fault (when it is one) and what to tell the caller.</summary>
/// <param name="Fault">The store fault, or null for any other failure.</param>
/// <param name="Cause">"the disk is full (the SQLite database … cannot be written: …)", for the log and a 503.</param>
public sealed record PredictionLogFailure(StoreFault? Fault, string Cause)
{
    /// <summary>The cause without paths or provider messages, for public answers (readiness).</summary>
    public string Summary => Fault is { } fault ? StoreWriteStatus.Describe(fault) : "a write failed (see the service log)";
}

/// <summary>
/// Hands requests' records to the one background writer: a bounded channel of units, behind a gate that counts
/// records, so at most <see cref="PredictionLoggingOptions.QueueCapacity"/> records are accepted and not yet
/// committed (room comes back when their batch ends). A request that finds no room waits for it, first come first
/// served, up to <see cref="PredictionLoggingOptions.MaxQueueWait"/> on the host's clock; then it is refused.
/// </summary>
internal sealed class PredictionQueue
{
    private readonly Channel<PendingPredictions> _channel;
    private readonly object _lock = new();
    private readonly LinkedList<RoomWaiter> _waiters = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxWait;
    private int _free;
    private bool _closed;

    public PredictionQueue(IOptions<PredictionLoggingOptions> options, TimeProvider time)
    {
        var o = options.Value;
        Capacity = o.QueueCapacity;
        _free = Capacity;
        _maxWait = o.MaxQueueWait;
        _time = time;
        // Never full: every unit holds at least one record, and the gate admits at most Capacity records.
        _channel = Channel.CreateBounded<PendingPredictions>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Most records accepted and not yet committed.</summary>
    public int Capacity { get; }

    /// <summary>Records accepted and not yet committed (queued or in the batch being written).</summary>
    public int Depth => Capacity - Volatile.Read(ref _free);

    /// <summary>True once <see cref="Close"/> was called (shutdown).</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>The writer's side.</summary>
    public ChannelReader<PendingPredictions> Reader => _channel.Reader;

    /// <summary>
    /// Queues <paramref name="unit"/> once there is room for its records (a unit larger than the whole queue waits
    /// for an empty one); false when none came within the wait, or the queue is closed (shutting down).
    /// </summary>
    public ValueTask<bool> EnqueueAsync(PendingPredictions unit)
    {
        var needed = Room(unit);
        RoomWaiter? waiter = null;
        lock (_lock)
        {
            if (_closed)
            {
                return ValueTask.FromResult(false);
            }

            if (_waiters.Count == 0 && _free >= needed)
            {
                _free -= needed;
            }
            else
            {
                waiter = new RoomWaiter(this, unit, needed);
                waiter.Node = _waiters.AddLast(waiter);
                waiter.Timer = _time.CreateTimer(static w => ((RoomWaiter)w!).Expire(), waiter, _maxWait, Timeout.InfiniteTimeSpan);
            }
        }

        return waiter is null ? ValueTask.FromResult(Write(unit)) : new ValueTask<bool>(waiter.Task);
    }

    /// <summary>
    /// Queues <paramref name="unit"/> only if there is room for it now with at least <paramref name="keepFree"/> records
    /// left over and no request waiting for room; never waits. For rows nobody waits on (shadow pairs): they never take
    /// room a request is waiting for, and the room kept free stays for the requests.
    /// </summary>
    public bool TryEnqueue(PendingPredictions unit, int keepFree)
    {
        var needed = Room(unit);
        lock (_lock)
        {
            if (_closed || _waiters.Count > 0 || _free - needed < keepFree)
            {
                return false;
            }

            _free -= needed;
        }

        return Write(unit);
    }

    /// <summary>Gives back the room of units whose batch ended (committed or failed), and admits waiting units that now fit.</summary>
    public void Release(int records)
    {
        List<RoomWaiter>? admitted;
        lock (_lock)
        {
            _free += records;
            admitted = AdmitLocked();
        }

        Complete(admitted, admitted: true);
    }

    /// <summary>How much room <paramref name="unit"/> takes.</summary>
    public int Room(PendingPredictions unit) => Math.Min(unit.Records.Length, Capacity);

    /// <summary>Accepts nothing more (shutdown): waiting requests are refused, and the reader ends once the queue is drained.</summary>
    public void Close()
    {
        List<RoomWaiter> refused;
        lock (_lock)
        {
            _closed = true;
            refused = [.. _waiters];
            _waiters.Clear();
            foreach (var waiter in refused)
            {
                waiter.Node = null;
            }
        }

        Complete(refused, admitted: false);
        _channel.Writer.TryComplete();
    }

    private bool Write(PendingPredictions unit)
    {
        if (_channel.Writer.TryWrite(unit))
        {
            return true;
        }

        // Closed between the gate and the channel: give the room back.
        Release(Room(unit));
        return false;
    }

    // First come, first served: the head waits until it fits, and no later unit passes it.
    private List<RoomWaiter>? AdmitLocked()
    {
        List<RoomWaiter>? admitted = null;
        while (_waiters.First is { } first && _free >= first.Value.Needed)
        {
            _free -= first.Value.Needed;
            _waiters.RemoveFirst();
            first.Value.Node = null;
            (admitted ??= []).Add(first.Value);
        }

        return admitted;
    }

    private void Complete(List<RoomWaiter>? waiters, bool admitted)
    {
        if (waiters is null)
        {
            return;
        }

        foreach (var waiter in waiters)
        {
            waiter.Timer?.Dispose();
            waiter.TrySetResult(admitted && Write(waiter.Unit));
        }
    }

    private sealed class RoomWaiter(PredictionQueue queue, PendingPredictions unit, int needed) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public PendingPredictions Unit { get; } = unit;

        public int Needed { get; } = needed;

        public LinkedListNode<RoomWaiter>? Node { get; set; }

        public ITimer? Timer { get; set; }

        /// <summary>The wait is over: refused, unless it was admitted meanwhile; a unit behind it may fit now.</summary>
        public void Expire()
        {
            List<RoomWaiter>? admitted;
            lock (queue._lock)
            {
                if (Node is null)
                {
                    return;
                }

                queue._waiters.Remove(Node);
                Node = null;
                admitted = queue.AdmitLocked();
            }

            Timer?.Dispose();
            TrySetResult(false);
            queue.Complete(admitted, admitted: true);
        }
    }
}
