using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The registry in one SQLite file: WAL journal (readers never block the writer), foreign keys on, a busy timeout
/// so concurrent writers wait for each other, and <c>BEGIN IMMEDIATE</c> write transactions so a writer holds the
/// database's write lock from its first statement (no deadlocking lock upgrades). Several processes may open the
/// same file.
/// </summary>
public sealed class SqliteModelRegistry : SqlModelRegistry
{
    /// <summary>How long a writer waits for another writer before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly SqlTypes SqliteTypes = new("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "TEXT");

    private readonly string _connectionString;
    private readonly string _openPragmas;

    /// <summary>Opens (creating on first use, with its directory) the database file at <paramref name="databasePath"/>.</summary>
    public SqliteModelRegistry(string databasePath, TimeProvider? timeProvider = null)
        : base(timeProvider)
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
        // synchronous stays FULL (the default): a registry writes rarely, and a promotion must survive power loss.
        _openPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};");
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public override string Provider => "sqlite";

    private protected override SqlTypes Types => SqliteTypes;

    // SQLite has no row locks: BEGIN IMMEDIATE already holds the database's write lock.
    private protected override string LockRowsClause => "";

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
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
    private protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private protected override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private protected override async Task PrepareDatabaseAsync(SqlSession session, CancellationToken cancellationToken) =>
        // Persistent in the file; a no-op when already set.
        await session.ScalarAsync("PRAGMA journal_mode = WAL", [], cancellationToken).ConfigureAwait(false);

    private protected override SqlArg TimeArg(string name, DateTimeOffset value) =>
        SqlArg.Text(name, value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    private protected override ValueTask ReleaseProviderResourcesAsync()
    {
        // Closes this file's pooled connections so the file (and its -wal/-shm) is released.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
