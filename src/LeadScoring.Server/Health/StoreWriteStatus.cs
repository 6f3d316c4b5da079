using LeadScoring.Storage;

namespace LeadScoring.Server.Health;

/// <summary>
/// The store fault a registry call last met (recorded by the exception handler), kept until a later write
/// succeeds, so readiness reports what only a write can find out (e.g. a full disk on the database server).
/// </summary>
public sealed class StoreWriteStatus
{
    private volatile Failure? _lastFailure;

    /// <summary>The last fault met, or null when a write went through since.</summary>
    public Failure? LastFailure => _lastFailure;

    /// <summary>What a store fault means, in words a caller understands.</summary>
    public static string Describe(StoreFault fault) => fault switch
    {
        StoreFault.Full => "the disk is full",
        StoreFault.ReadOnly => "the store is read-only",
        StoreFault.Corrupt => "the database file is corrupt",
        _ => "the store cannot be reached or opened",
    };

    /// <summary>Records a call that failed because the store cannot be used.</summary>
    public void Failed(StoreFault fault, string detail) => _lastFailure = new Failure(fault, detail);

    /// <summary>Records a write that went through.</summary>
    public void Succeeded() => _lastFailure = null;

    /// <summary>Forgets the last failure if it was <paramref name="fault"/> (a later probe wrote where it could not).</summary>
    public void Clear(StoreFault fault)
    {
        var last = _lastFailure;
        if (last?.Fault == fault)
        {
            Interlocked.CompareExchange(ref _lastFailure, null, last);
        }
    }

    /// <summary>A failed write's fault and the message the caller got.</summary>
    public sealed record Failure(StoreFault Fault, string Detail);
}
