using System.Data.Common;

namespace LeadScoring.Storage.Sql;

/// <summary>
/// One database, as every store uses it: a unit of work runs in a read transaction (one snapshot) or a write
/// transaction (all or nothing), times come from the injected clock, and a failure of the store itself (disk full,
/// read-only, corrupt, unreachable) surfaces as <see cref="StoreUnavailableException"/> naming the cause and the
/// database, with the provider's exception inside. Several stores (components) may share one instance; it owns its
/// dialect and releases the provider's pools when disposed.
/// </summary>
internal sealed class SqlDatabase : IAsyncDisposable
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private volatile bool _disposed;

    public SqlDatabase(SqlDialect dialect, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        Dialect = dialect;
        _time = timeProvider ?? TimeProvider.System;
    }

    public SqlDialect Dialect { get; }

    /// <summary>True once disposed; every call then throws <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The current time at microsecond precision: what PostgreSQL keeps, so both providers hand back the same instant.</summary>
    public DateTimeOffset Now()
    {
        var ticks = _time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Runs <paramref name="work"/> on a connection without a transaction.</summary>
    public Task<T> WithConnectionAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(transactional: null, work, onUniqueViolation: null, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one read transaction (one consistent snapshot).</summary>
    public Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(transactional: false, work, onUniqueViolation: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction; any exception rolls everything back. A unique
    /// violation becomes the caller's exception (<paramref name="onUniqueViolation"/>), typically a conflict.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, Func<DbException, Exception>? onUniqueViolation, CancellationToken cancellationToken) =>
        RunAsync(transactional: true, work, onUniqueViolation, cancellationToken);

    /// <summary>Runs <c>SELECT 1</c> with a 5 s cap; any failure is false. Cancelling <paramref name="cancellationToken"/> still throws.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            var one = await WithConnectionAsync((session, ct) => session.ScalarInt64Async("SELECT 1", [], ct), timeout.Token).ConfigureAwait(false);
            return one == 1;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Whether the store can be written now (see the dialect's check); a fault is a result, not an exception.</summary>
    public Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Dialect.CheckWritableAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Dialect.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The exception a store fault becomes: the cause and the database in the message, the original inside.</summary>
    public StoreUnavailableException Unavailable(StoreFault fault, Exception inner) =>
        new(fault, $"{Dialect.Description} {StoreFaults.Cause(fault)}: {inner.Message}", inner);

    private async Task<T> RunAsync<T>(
        bool? transactional,
        Func<SqlSession, CancellationToken, Task<T>> work,
        Func<DbException, Exception>? onUniqueViolation,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            var connection = await Dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (transactional is not bool write)
                {
                    return await work(new SqlSession(connection, null), cancellationToken).ConfigureAwait(false);
                }

                var transaction = write
                    ? await Dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false)
                    : await Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await work(new SqlSession(connection, transaction), cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            }
        }
        catch (DbException e) when (onUniqueViolation is not null && Dialect.IsUniqueViolation(e))
        {
            throw onUniqueViolation(e);
        }
        catch (Exception e) when (e is not StoreUnavailableException && Dialect.Classify(e) is StoreFault fault)
        {
            throw Unavailable(fault, e);
        }
    }
}
