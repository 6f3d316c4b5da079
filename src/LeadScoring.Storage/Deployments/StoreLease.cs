using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Deployments;

/// <summary>
/// A named lease in the registry's database, so that among several replicas exactly one does a job (evaluating
/// guardrails and acting on them): <see cref="TryAcquireAsync"/> is true while the caller's owner holds the lease,
/// and renews it; a lease its holder stopped renewing is taken over once it expired. Create one with
/// <see cref="DeploymentStoreFactory.CreateLease"/>.
/// </summary>
/// <remarks>
/// <para><b>Mechanism: a lock row on both databases</b> (<c>store_leases (name, owner, acquired_at, expires_at)</c>),
/// taken, renewed or taken over by ONE conditional upsert: insert the row, or on conflict update it only when the
/// caller already owns it or it has expired. The database decides, atomically (SQLite: under the write lock of
/// <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c> re-checks the row under its
/// lock), so of two concurrent owners exactly one gets 1 row affected.</para>
/// <para>Not PostgreSQL's <c>pg_try_advisory_lock</c>: a session advisory lock belongs to a connection, so the holder
/// would have to keep one connection out of the pool for as long as it holds the lease, and a holder that hangs
/// with its connection open would hold it forever; a row expires on its own, reads the same on both databases
/// (who holds it, until when) and runs through the same tested code.</para>
/// <para><b>Clocks</b>: expiry is written and compared with the caller's injected clock, so replicas' clocks must
/// agree to well within the time to live (choose a time to live of several evaluation intervals).</para>
/// </remarks>
public sealed class StoreLease : IAsyncDisposable
{
    private readonly SqlComponent _store;

    /// <summary>The lease table on <paramref name="database"/> (the registry's); the lease owns it and disposes it.</summary>
    internal StoreLease(SqlDatabase database) => _store = new SqlComponent(database, DeploymentSchema.Component, DeploymentSchema.Steps);

    /// <summary>The database this runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>
    /// True when <paramref name="owner"/> holds lease <paramref name="name"/> until now + <paramref name="ttl"/>:
    /// it was free, expired, or already this owner's (renewed). False while another owner holds it unexpired.
    /// </summary>
    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var dialect = _store.Dialect;
        return await _store.WriteAsync(
            async (session, ct) =>
            {
                var now = _store.Database.Now();
                var taken = await session.ExecuteAsync(
                    """
                    INSERT INTO store_leases (name, owner, acquired_at, expires_at) VALUES (@name, @owner, @now, @expires)
                    ON CONFLICT (name) DO UPDATE
                    SET owner = excluded.owner,
                        acquired_at = CASE WHEN store_leases.owner = excluded.owner THEN store_leases.acquired_at ELSE excluded.acquired_at END,
                        expires_at = excluded.expires_at
                    WHERE store_leases.owner = excluded.owner OR store_leases.expires_at <= excluded.acquired_at
                    """,
                    [SqlArg.Text("@name", name), SqlArg.Text("@owner", owner), dialect.TimeArg("@now", now), dialect.TimeArg("@expires", now + ttl)],
                    ct).ConfigureAwait(false);
                return taken == 1;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the lease up when <paramref name="owner"/> holds it (true), so another owner can take it at once; false otherwise.</summary>
    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return await _store.WriteAsync(
            async (session, ct) => await session.ExecuteAsync(
                "DELETE FROM store_leases WHERE name = @name AND owner = @owner",
                [SqlArg.Text("@name", name), SqlArg.Text("@owner", owner)],
                ct).ConfigureAwait(false) == 1,
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current holder of <paramref name="name"/> and until when (possibly expired), or null when nobody took it.</summary>
    public async Task<(string Owner, DateTimeOffset ExpiresAt)?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var dialect = _store.Dialect;
        var rows = await _store.ReadAsync(
            (session, ct) => session.QueryAsync(
                "SELECT owner, expires_at FROM store_leases WHERE name = @name",
                [SqlArg.Text("@name", name)],
                r => (Owner: r.GetString(0), ExpiresAt: dialect.ReadTime(r, 1)),
                ct),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
