using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadScoring.Storage;

// A stand-in with the names agreed with the storage work in progress (issue 6): the server maps these to 503s and
// readiness. When that work lands, its StoreFaults.cs replaces this file.

/// <summary>Why a store cannot be used.</summary>
public enum StoreFault
{
    /// <summary>The disk (or the PostgreSQL server's disk) is full.</summary>
    Full,

    /// <summary>The database or its directory is read-only.</summary>
    ReadOnly,

    /// <summary>The database file is not a valid database.</summary>
    Corrupt,

    /// <summary>The database cannot be opened or reached.</summary>
    Unreachable,
}

/// <summary>The store cannot be used; nothing was changed. <see cref="Fault"/> says why.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(StoreFault fault, string message, Exception? inner = null)
        : base(message, inner) => Fault = fault;

    public StoreUnavailableException()
        : base("the store cannot be used")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the store cannot be used.</summary>
    public StoreFault Fault { get; }
}

/// <summary>Recognises provider and file-system errors that mean the store cannot be used.</summary>
public static class StoreFaults
{
    // errno values on Linux and the HRESULTs Windows uses for the same conditions.
    private const int NoSpaceErrno = 28;
    private const int ReadOnlyErrno = 30;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The fault behind <paramref name="exception"/> (or one of its inner exceptions), or null for any other error.</summary>
    public static StoreFault? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var fault = e switch
            {
                StoreUnavailableException s => s.Fault,
                SqliteException s => FromSqlite(s.SqliteErrorCode & 0xFF),
                PostgresException p => FromPostgres(p.SqlState),
                NpgsqlException n when n.InnerException is SocketException or IOException or TimeoutException => StoreFault.Unreachable,
                IOException io => FromIo(io.HResult),
                _ => (StoreFault?)null,
            };
            if (fault is not null)
            {
                return fault;
            }
        }

        return null;
    }

    // Primary result codes: SQLITE_FULL 13, READONLY 8, CORRUPT 11, NOTADB 26, CANTOPEN 14, IOERR 10, PERM 3.
    private static StoreFault? FromSqlite(int code) => code switch
    {
        13 => StoreFault.Full,
        8 => StoreFault.ReadOnly,
        11 or 26 => StoreFault.Corrupt,
        14 or 10 or 3 => StoreFault.Unreachable,
        _ => null,
    };

    // 53100 disk_full, 25006 read_only_sql_transaction; class 08 is "connection exception".
    private static StoreFault? FromPostgres(string sqlState) => sqlState switch
    {
        "53100" => StoreFault.Full,
        "25006" => StoreFault.ReadOnly,
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => StoreFault.Unreachable,
        _ => null,
    };

    private static StoreFault? FromIo(int hresult) => hresult switch
    {
        NoSpaceErrno or WindowsDiskFull or WindowsHandleDiskFull => StoreFault.Full,
        ReadOnlyErrno => StoreFault.ReadOnly,
        _ => null,
    };
}
