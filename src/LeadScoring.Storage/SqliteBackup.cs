using Microsoft.Data.Sqlite;

namespace LeadScoring.Storage;

/// <summary>
/// A consistent copy of the SQLite store while the service runs. Copying <c>leadscoring.db</c> alone is not one:
/// recent commits may still be in the <c>-wal</c> file, and a copy taken during a write can be torn. SQLite's
/// online backup reads one snapshot (writers carry on meanwhile) and writes a self-contained file.
/// </summary>
public static class SqliteBackup
{
    /// <summary>
    /// Copies the SQLite database of <paramref name="options"/> to <paramref name="destination"/>, which must not
    /// exist yet (nothing is ever overwritten). Throws <see cref="ArgumentException"/> for PostgreSQL (use
    /// <see cref="PgDumpCommand"/>), a missing store or an existing destination, and
    /// <see cref="StoreUnavailableException"/> when either file cannot be used; a failed copy leaves no file behind.
    /// Returns the size of the copy in bytes.
    /// </summary>
    public static async Task<long> BackupAsync(StorageOptions options, string destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        if (options.UsesPostgres)
        {
            throw new ArgumentException("backup copies the SQLite store; for PostgreSQL use pg_dump", nameof(options));
        }

        var source = options.SqliteDatabasePath;
        if (!File.Exists(source))
        {
            throw new ArgumentException($"there is no SQLite store at {source}", nameof(options));
        }

        var target = Path.GetFullPath(destination);
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw new ArgumentException($"{target} already exists; backup never overwrites a file", nameof(destination));
        }

        // CreateNew also refuses a file created since the check; SQLite then fills the empty file.
        await using (new FileStream(target, FileMode.CreateNew, FileAccess.Write).ConfigureAwait(false))
        {
        }

        try
        {
            // ReadWrite, not ReadOnly: a reader of a WAL database may need to create the -shm file.
            var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            await using (from.ConfigureAwait(false))
            {
                var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
                await using (to.ConfigureAwait(false))
                {
                    await from.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await to.OpenAsync(cancellationToken).ConfigureAwait(false);
                    using (var timeout = from.CreateCommand())
                    {
                        // Wait for a writer that holds the lock instead of failing at once.
                        timeout.CommandText = "PRAGMA busy_timeout = 30000";
                        await timeout.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    // One step: the whole database is copied from a single read snapshot.
                    from.BackupDatabase(to);
                    using var journal = to.CreateCommand();
                    // The copy is a standalone file: no -wal beside it to lose when it is moved.
                    journal.CommandText = "PRAGMA journal_mode = DELETE";
                    await journal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return new FileInfo(target).Length;
        }
        catch (Exception e)
        {
            File.Delete(target);
            if (e is SqliteException && StoreFaults.Classify(e) is StoreFault fault)
            {
                throw new StoreUnavailableException(fault, $"cannot back up {source} to {target}: a database file {StoreFaults.Cause(fault)} ({e.Message})", e);
            }

            throw;
        }
    }

    /// <summary>
    /// The <c>pg_dump</c> command that backs up the PostgreSQL store of <paramref name="options"/> to
    /// <paramref name="destination"/> (custom format, for <c>pg_restore</c>); the password is left out (PGPASSWORD or ~/.pgpass).
    /// </summary>
    public static string PgDumpCommand(StorageOptions options, string destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
        var parts = new List<string> { "pg_dump", "--format=custom", "--file=" + ShellQuote(destination) };
        if (!string.IsNullOrEmpty(builder.Host))
        {
            parts.Add("--host=" + ShellQuote(builder.Host));
        }

        parts.Add("--port=" + builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(builder.Username))
        {
            parts.Add("--username=" + ShellQuote(builder.Username));
        }

        if (!string.IsNullOrEmpty(builder.Database))
        {
            parts.Add("--dbname=" + ShellQuote(builder.Database));
        }

        return string.Join(' ', parts);
    }

    private static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':' or '@')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
