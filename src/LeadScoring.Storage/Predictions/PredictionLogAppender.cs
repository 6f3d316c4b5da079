using System.Data.Common;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// The prediction log's writing end for one writer that appends batch after batch (the server's group commit): it
/// keeps one connection and (SQLite) the prepared INSERT across batches, so a batch costs its rows and one commit,
/// not a connection's setup. Each <see cref="AppendAsync"/> is one transaction with the same contract as
/// <see cref="PredictionLog.AppendAsync"/>; after any failure the transaction is rolled back and the connection
/// dropped, and the next batch opens a new one. A batch can also be written piece by piece (<see cref="BeginAsync"/>,
/// <see cref="AddAsync"/>, <see cref="CommitAsync"/>). Not thread-safe: one caller at a time. Open with
/// <see cref="PredictionLog.OpenAppender"/>.
/// </summary>
public sealed class PredictionLogAppender : IAsyncDisposable
{
    private readonly SqlComponent _store;
    private readonly SqlDatabase _database;
    private readonly PredictionWriter _writer;
    private DbConnection? _connection;
    private PreparedPredictionWriter? _prepared;
    private DbTransaction? _transaction;
    private readonly List<PredictionRecord> _kept = [];
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

        await BeginAsync(cancellationToken).ConfigureAwait(false);
        await AddRecordsAsync(batch, validate: false, cancellationToken).ConfigureAwait(false);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a batch (one write transaction) that <see cref="AddAsync"/> fills piece by piece and
    /// <see cref="CommitAsync"/> ends: a group commit can write each request's records as it takes them, while the
    /// requests behind are still being scored, and is left with only the commit when the queue runs dry. On SQLite the
    /// rows are inserted as they are added (and the log's write lock held until the commit); on PostgreSQL they are
    /// kept and sent in one COPY at the commit. After any failure the batch is rolled back and the connection dropped.
    /// </summary>
    public async Task BeginAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed || _database.IsDisposed, this);
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A batch is already open: commit or roll it back first.");
        }

        try
        {
            if (_connection is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            _transaction = await _database.Dialect.BeginWriteAsync(_connection!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await FailAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Adds <paramref name="records"/> to the open batch: checked first (a bad record is an
    /// <see cref="ArgumentException"/> naming its index and field, and the batch is rolled back), then written into the
    /// transaction (SQLite) or kept for the commit (PostgreSQL).
    /// </summary>
    public Task AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken = default) =>
        AddRecordsAsync(records, validate: true, cancellationToken);

    private async Task AddRecordsAsync(IReadOnlyList<PredictionRecord> records, bool validate, CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No batch is open: call BeginAsync first.");
        try
        {
            if (validate)
            {
                PredictionValidation.Validate(records);
            }

            if (_prepared!.WritesPieceByPiece)
            {
                await _prepared.WriteAsync(transaction, records, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _kept.AddRange(records);
            }
        }
        catch (Exception e)
        {
            await FailAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Commits the open batch: when this returns, every record added is committed; when it throws, none is.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No batch is open: call BeginAsync first.");
        try
        {
            if (_kept.Count > 0)
            {
                await _prepared!.WriteAsync(transaction, _kept, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            await EndBatchAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await FailAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Rolls the open batch back (nothing of it is written); does nothing when no batch is open.</summary>
    public Task RollbackAsync() => EndBatchAsync();

    // After a step of a batch failed (the caller rethrows): the batch is rolled back. A bad record is the caller's
    // ArgumentException; after anything else the connection is dropped too (it may be broken or stuck: read-only
    // fallback, a dropped server connection), so the next batch starts on a fresh one, and a store fault is raised as
    // StoreUnavailableException instead. A try/catch per step rather than a delegate: AddAsync runs once per request.
    private async Task FailAsync(Exception e)
    {
        if (e is ArgumentException)
        {
            await EndBatchAsync().ConfigureAwait(false);
            return;
        }

        await DisconnectAsync().ConfigureAwait(false);
        if (e is not StoreUnavailableException && _database.Dialect.Classify(e) is StoreFault fault)
        {
            throw _database.Unavailable(fault, e);
        }
    }

    private async Task EndBatchAsync()
    {
        _kept.Clear();
        if (_transaction is { } transaction)
        {
            _transaction = null;
            await transaction.DisposeAsync().ConfigureAwait(false);
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
        // Disposing an uncommitted transaction rolls it back.
        await EndBatchAsync().ConfigureAwait(false);
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
