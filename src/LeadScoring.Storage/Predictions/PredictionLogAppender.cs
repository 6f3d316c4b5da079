using System.Data.Common;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// The prediction log's writing end for one writer that appends batch after batch (the server's group commit): it
/// keeps one connection and (SQLite) the prepared INSERT across batches, so a batch costs its rows and one commit,
/// not a connection's setup. Each <see cref="AppendAsync"/> is one transaction with the same contract as
/// <see cref="PredictionLog.AppendAsync"/>; after any failure the transaction is rolled back and the connection
/// dropped, and the next batch opens a new one. Not thread-safe: one caller at a time. Open with
/// <see cref="PredictionLog.OpenAppender"/>.
/// </summary>
public sealed class PredictionLogAppender : IAsyncDisposable
{
    private readonly SqlComponent _store;
    private readonly SqlDatabase _database;
    private readonly PredictionWriter _writer;
    private DbConnection? _connection;
    private PreparedPredictionWriter? _prepared;
    private bool _disposed;

    internal PredictionLogAppender(SqlComponent store, PredictionWriter writer)
    {
        _store = store;
        _database = store.Database;
        _writer = writer;
    }

    /// <summary>True while a connection is kept (for tests).</summary>
    internal bool IsConnected => _connection is not null;

    /// <summary>
    /// Writes <paramref name="batch"/> in one transaction: when this returns, every record is committed; when it
    /// throws, none is. A bad record is an <see cref="ArgumentException"/> naming its index and field, before anything
    /// is written; a store that cannot be written is a <see cref="StoreUnavailableException"/>.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed || _database.IsDisposed, this);
        PredictionValidation.Validate(batch);
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            if (_connection is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            var transaction = await _database.Dialect.BeginWriteAsync(_connection!, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await _prepared!.WriteAsync(transaction, batch, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Disposing the transaction rolled it back (when it was begun); the connection may be broken or stuck
            // (read-only fallback, a dropped server connection), so the next batch starts on a fresh one.
            await DisconnectAsync().ConfigureAwait(false);
            if (e is not StoreUnavailableException && _database.Dialect.Classify(e) is StoreFault fault)
            {
                throw _database.Unavailable(fault, e);
            }

            throw;
        }
    }

    /// <summary>
    /// Gives the kept connection back (the next batch opens one again): a writer with nothing to write does not
    /// hold the database open.
    /// </summary>
    public Task ReleaseConnectionAsync() => DisconnectAsync();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await DisconnectAsync().ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _store.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.Dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _prepared = await _writer.PrepareAsync(new SqlSession(connection, null), cancellationToken).ConfigureAwait(false);
            _connection = connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DisconnectAsync()
    {
        if (_prepared is { } prepared)
        {
            _prepared = null;
            await prepared.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
