using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Sql;

/// <summary>
/// One SQLite file: WAL journal (readers never block the writer), foreign keys on, a busy timeout so concurrent
/// writers wait for each other, and <c>BEGIN IMMEDIATE</c> write transactions so a writer holds the database's write
/// lock from its first statement (no deadlocking lock upgrades). Several processes may open the same file.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long a writer waits for another writer before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How an instant is kept: UTC text to the microsecond, so text order is time order.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly SqlTypes SqliteTypes = new("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "TEXT", "REAL");

    private readonly string _connectionString;
    private readonly string _openPragmas;

    /// <summary>The database file at <paramref name="databasePath"/>, created (with its folder) on first use.</summary>
    /// <param name="databasePath">The file.</param>
    /// <param name="syncEveryCommit">synchronous=FULL (a commit survives power loss) or, when false, NORMAL (in WAL a commit survives a process crash).</param>
    /// <param name="checkpointPages">The write-ahead log's size in pages at which a committing writer copies it into the file (SQLite's default: 1,000).</param>
    public SqliteDialect(string databasePath, bool syncEveryCommit = true, int checkpointPages = 1000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        // FULL by default: stores write rarely, and a promotion must survive power loss.
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointPages, 1);
        _openPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(syncEveryCommit ? "FULL" : "NORMAL")}; PRAGMA wal_autocheckpoint = {checkpointPages};");
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    public override string Provider => "sqlite";

    public override string Description => $"the SQLite database {DatabasePath}";

    public override SqlTypes Types => SqliteTypes;

    // SQLite has no row locks: BEGIN IMMEDIATE already holds the database's write lock.
    public override string LockRowsClause => "";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        CreateFolder();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                // SQLite falls back to read-only when the file system refuses writes, and the connection stays so:
                // never pool it (nor any other connection of this file now), so writes work again once the disk does.
                SqliteConnection.ClearPool(connection);
            }

            await new SqlSession(connection, null).ExecuteAsync(_openPragmas, [], cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // deferred: false ⇒ BEGIN IMMEDIATE (waits up to the busy timeout for the write lock).
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override async Task PrepareDatabaseAsync(SqlSession session, CancellationToken cancellationToken) =>
        // Persistent in the file; a no-op when already set.
        await session.ScalarAsync("PRAGMA journal_mode = WAL", [], cancellationToken).ConfigureAwait(false);

    // PASSIVE: copies what no reader still needs without waiting for (or blocking) readers or the writer; the WAL
    // starts over at the next commit after a checkpoint (this one or a writer's automatic one) copied all of it.
    public override async Task<bool> CheckpointAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await new SqlSession(connection, null).ScalarAsync("PRAGMA wal_checkpoint(PASSIVE)", [], cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public override SqlArg TimeArg(string name, DateTimeOffset value) =>
        SqlArg.Text(name, value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override StoreFault? Classify(Exception exception)
    {
        var fault = ClassifyFault(exception) ?? StoreFaults.ClassifyIo(exception);
        // SQLite says only "unable to open" (or an I/O error) when a WAL database's folder is read-only or full (its
        // -shm or -wal cannot be created): ask the file system what is wrong.
        return fault == StoreFault.Unreachable ? FolderFault() ?? fault : fault;
    }

    /// <summary>
    /// SQLite's result codes that mean the file cannot be used (the primary code; extended codes carry it in their
    /// low byte): FULL, READONLY, PERM (write refused), CORRUPT, NOTADB, CANTOPEN, IOERR.
    /// </summary>
    public static StoreFault? ClassifyFault(Exception exception) => exception is SqliteException sqlite
        ? (sqlite.SqliteExtendedErrorCode & 0xFF) switch
        {
            13 => StoreFault.Full,
            8 or 3 => StoreFault.ReadOnly,
            11 or 26 => StoreFault.Corrupt,
            14 or 10 => StoreFault.Unreachable,
            _ => null,
        }
        : null;

    /// <summary>
    /// Writes, fsyncs and deletes a probe file beside the database (the disk is full or read-only even when SQLite
    /// has not noticed yet), then opens the database and reads its schema (a corrupt file fails here).
    /// </summary>
    public override async Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            WriteProbeFile();
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await new SqlSession(connection, null).ScalarAsync("SELECT COUNT(*) FROM sqlite_master", [], cancellationToken).ConfigureAwait(false);
            }

            return StoreWriteCheck.Writable;
        }
        catch (Exception e) when (Classify(e) is StoreFault fault)
        {
            return new StoreWriteCheck(fault, $"{Description} {StoreFaults.Cause(fault)} ({e.Message})");
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Closes this file's pooled connections so the file (and its -wal/-shm) is released.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    /// <summary>Full or ReadOnly when the database's folder cannot take a small file; null when it can (or for anything else).</summary>
    private StoreFault? FolderFault()
    {
        try
        {
            WriteProbeFile();
            return null;
        }
        catch (Exception e) when (StoreFaults.ClassifyIo(e) is StoreFault.Full or StoreFault.ReadOnly)
        {
            return StoreFaults.ClassifyIo(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Creates the folder, then writes, fsyncs and deletes a 4 KiB file in it.</summary>
    private void WriteProbeFile()
    {
        CreateFolder();
        var probe = Path.Combine(Path.GetDirectoryName(DatabasePath)!, $".{Path.GetFileName(DatabasePath)}-write-probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            stream.Write(new byte[4096]);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private void CreateFolder()
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
