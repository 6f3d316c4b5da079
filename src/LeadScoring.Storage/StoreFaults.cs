using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage;

/// <summary>Why the store cannot be used: a condition of the environment, not of the request.</summary>
public enum StoreFault
{
    /// <summary>The disk (or the database server's disk) is full.</summary>
    Full,

    /// <summary>The store can be read but not written (read-only file system, read-only transaction, standby server).</summary>
    ReadOnly,

    /// <summary>The database file is damaged or is not a database.</summary>
    Corrupt,

    /// <summary>The store cannot be opened or reached (missing permissions, I/O error, server down).</summary>
    Unreachable,
}

/// <summary>The store cannot be used; <see cref="Exception.Message"/> names the cause and the database.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(StoreFault fault, string message, Exception? inner = null)
        : base(message, inner) => Fault = fault;

    public StoreUnavailableException()
        : this(StoreFault.Unreachable, "the store is unavailable")
    {
    }

    public StoreUnavailableException(string message)
        : this(StoreFault.Unreachable, message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : this(StoreFault.Unreachable, message, innerException)
    {
    }

    /// <summary>Why the store cannot be used.</summary>
    public StoreFault Fault { get; }
}

/// <summary>Recognizes the provider exceptions that mean the store cannot be used.</summary>
public static class StoreFaults
{
    /// <summary>
    /// The fault behind <paramref name="e"/> (or an exception it wraps), or null when it is not one: a constraint
    /// violation, a bug or a cancellation is not a store fault. A <see cref="StoreUnavailableException"/> knows best:
    /// SQLite reports a read-only or full folder as "unable to open" (Unreachable here), and the store that threw it
    /// asked the file system.
    /// </summary>
    public static StoreFault? Classify(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is StoreUnavailableException unavailable)
            {
                return unavailable.Fault;
            }

            if ((SqliteDialect.ClassifyFault(current) ?? PostgresDialect.ClassifyFault(current)) is StoreFault fault)
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>What a fault means, for messages: "the disk is full".</summary>
    internal static string Cause(StoreFault fault) => fault switch
    {
        StoreFault.Full => "cannot be written: the disk is full",
        StoreFault.ReadOnly => "cannot be written: it is read-only",
        StoreFault.Corrupt => "cannot be read: it is corrupt or not a database",
        _ => "cannot be reached",
    };

    /// <summary>I/O errors of the file system around a database file (creating its folder, a probe file).</summary>
    internal static StoreFault? ClassifyIo(Exception e) => e switch
    {
        // .NET on Unix reports errno as the HResult of an IOException: ENOSPC 28, EDQUOT 122, EROFS 30.
        IOException { HResult: 28 or 122 } => StoreFault.Full,
        IOException { HResult: 30 } => StoreFault.ReadOnly,
        UnauthorizedAccessException => StoreFault.ReadOnly,
        // Other I/O errors around the file (its folder is a file, a device error).
        IOException and not (FileNotFoundException or EndOfStreamException) => StoreFault.Unreachable,
        _ => null,
    };
}

/// <summary>The result of a store's write check (readiness): writable, or the fault that prevents writing.</summary>
/// <param name="Fault">Null when the store can be written.</param>
/// <param name="Detail">"writable", or the message naming the cause and the database.</param>
public sealed record StoreWriteCheck(StoreFault? Fault, string Detail)
{
    /// <summary>True when the store can be written.</summary>
    public bool IsWritable => Fault is null;

    internal static StoreWriteCheck Writable { get; } = new(null, "writable");
}
