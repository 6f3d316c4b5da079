using LeadScoring.Storage;

namespace LeadScoring.Server.Health;

/// <summary>
/// The store fault a registry call last met (recorded by the registry routes' filter), kept until a later write
/// succeeds, so readiness reports what only a write can find out (e.g. a full disk on the database server).
/// </summary>
public sealed class StoreWriteStatus
{
    private const int None = -1;

    private int _lastFault = None;

    /// <summary>The last fault met, or null when a write went through since.</summary>
    public StoreFault? LastFault => Volatile.Read(ref _lastFault) is var fault and not None ? (StoreFault)fault : null;

    /// <summary>What a store fault means, in words a caller understands.</summary>
    public static string Describe(StoreFault fault) => fault switch
    {
        StoreFault.Full => "the disk is full",
        StoreFault.ReadOnly => "the store is read-only",
        StoreFault.Corrupt => "the database file is corrupt",
        _ => "the store cannot be reached or opened",
    };

    /// <summary>What a store fault means, then the store's own message (naming the database) when it has one.</summary>
    public static string Describe(StoreFault fault, Exception exception) =>
        Describe(fault) + (exception is StoreUnavailableException ? $" ({exception.Message})" : "");

    /// <summary>Records a call that failed because the store cannot be used.</summary>
    public void Failed(StoreFault fault) => Volatile.Write(ref _lastFault, (int)fault);

    /// <summary>Records a write that went through.</summary>
    public void Succeeded() => Volatile.Write(ref _lastFault, None);

    /// <summary>Forgets the last failure if it was <paramref name="fault"/> (a later probe wrote where it could not).</summary>
    public void Clear(StoreFault fault) => Interlocked.CompareExchange(ref _lastFault, None, (int)fault);
}
