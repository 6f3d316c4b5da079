using LeadScoring.Storage;

namespace LeadScoring.Server.Predictions;

/// <summary>Scores answered although their records could not be committed, since start.</summary>
/// <param name="Count">How many.</param>
/// <param name="First">When the first was answered.</param>
/// <param name="Last">When the last was answered.</param>
/// <param name="LastCause">Why the last could not be logged.</param>
public sealed record UnloggedScores(long Count, DateTimeOffset? First, DateTimeOffset? Last, string? LastCause)
{
    public static UnloggedScores None { get; } = new(0, null, null, null);
}

/// <summary>
/// What readiness reports about the log besides the store's own write check: the writer's last failure (kept until a
/// batch commits again, or a write check proves its cause gone) and the scores served unlogged since start.
/// </summary>
internal sealed class PredictionLogStatus(TimeProvider time)
{
    private readonly object _lock = new();
    private volatile PredictionLogFailure? _lastFailure;
    private UnloggedScores _unlogged = UnloggedScores.None;

    /// <summary>The last batch's failure, or null when the last batch committed.</summary>
    public PredictionLogFailure? LastFailure => _lastFailure;

    public UnloggedScores Unlogged
    {
        get
        {
            lock (_lock)
            {
                return _unlogged;
            }
        }
    }

    public void BatchFailed(PredictionLogFailure failure) => _lastFailure = failure;

    public void BatchCommitted() => _lastFailure = null;

    /// <summary>A write check found the store writable: forgets a failure the check would have seen (not a full disk on PostgreSQL, which only a write finds).</summary>
    public void WriteCheckPassed(bool checkSeesFullDisk)
    {
        if (_lastFailure is { } failure && (failure.Fault != StoreFault.Full || checkSeesFullDisk))
        {
            Interlocked.CompareExchange(ref _lastFailure, null, failure);
        }
    }

    /// <summary>Counts <paramref name="scores"/> answered without being logged because of <paramref name="failure"/>.</summary>
    public void ServedUnlogged(int scores, PredictionLogFailure failure)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _unlogged = new UnloggedScores(_unlogged.Count + scores, _unlogged.First ?? now, now, failure.Summary);
        }
    }
}
