using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// The history of monitoring runs: one row per run (scope, window, status, summary JSON, report path) and the
/// figures it computed (metric, feature, value, p-value, verdict) for plotting over time. On the SQL foundation
/// (component <c>monitoring</c>), in the prediction log's database: on SQLite its file <c>predictions.db</c>, on
/// PostgreSQL the shared database. Create one with <see cref="MonitoringStoreFactory"/>.
/// </summary>
public sealed class MonitoringStore : IAsyncDisposable
{
    /// <summary>The largest page <see cref="ListRunsAsync"/> returns.</summary>
    public const int MaxPageSize = 1_000;

    private readonly SqlComponent _store;
    private readonly MonitoringStatements _statements;

    /// <summary>The store on <paramref name="database"/>; the store owns it and disposes it.</summary>
    internal MonitoringStore(SqlDatabase database)
    {
        _store = new SqlComponent(database, MonitoringSchema.Component, MonitoringSchema.Steps);
        _statements = new MonitoringStatements(_store.Dialect);
        Windows = new MonitoringWindowReader(database);
        Scopes = new MonitoringScopeReader(database);
    }

    /// <summary>The window reader on this store's database (the prediction log's), disposed with the store.</summary>
    public MonitoringWindowReader Windows { get; }

    /// <summary>The scope lister on this store's database (which versions and arms scored in a window), disposed with the store.</summary>
    public MonitoringScopeReader Scopes { get; }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _store.Dialect.Description;

    /// <summary>The database this store runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>Creates or migrates the schema; called on first use by every other method. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>
    /// Records <paramref name="run"/> and its <paramref name="figures"/> in one transaction and returns the run's id.
    /// Everything is checked first; a bad field is an <see cref="ArgumentException"/> naming it ("figures[3].Value")
    /// and nothing is written. Times are kept in UTC to the microsecond.
    /// </summary>
    public async Task<long> RecordRunAsync(MonitoringRun run, IReadOnlyList<MonitoringFigure> figures, CancellationToken cancellationToken = default)
    {
        MonitoringValidation.Validate(run, figures);
        return await _store.WriteAsync(
            async (session, ct) =>
            {
                var id = await _statements.InsertRunAsync(session, run, ct).ConfigureAwait(false);
                await MonitoringStatements.InsertFiguresAsync(session, id, figures, ct).ConfigureAwait(false);
                return id;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of the runs matching <paramref name="filter"/>, newest recorded first, starting before run id
    /// <paramref name="before"/> (null: from the newest). Pass the page's <see cref="MonitoringRunPage.NextBefore"/> to continue.
    /// </summary>
    public async Task<MonitoringRunPage> ListRunsAsync(MonitoringRunFilter filter, long? before = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        MonitoringValidation.ValidateScope(filter.ModelVersion, filter.Arm, "filter");
        MonitoringValidation.Require(filter.Kind is null || MonitoringRunKinds.All.Contains(filter.Kind), "filter.Kind", "must be null or a run kind");
        var rows = await _store.ReadAsync((session, ct) => _statements.ListRunsAsync(session, filter, before, pageSize, ct), cancellationToken).ConfigureAwait(false);
        return new MonitoringRunPage(rows, rows.Count == pageSize ? rows[^1].Id : null);
    }

    /// <summary>The run with its figures, or null when there is no run <paramref name="id"/>.</summary>
    public Task<MonitoringRunDetail?> GetRunAsync(long id, CancellationToken cancellationToken = default) =>
        _store.ReadAsync(
            async (session, ct) =>
            {
                var run = await _statements.ReadRunAsync(session, id, ct).ConfigureAwait(false);
                return run is null ? null : new MonitoringRunDetail(run, await MonitoringStatements.ReadFiguresAsync(session, id, ct).ConfigureAwait(false));
            },
            cancellationToken);

    /// <summary>One figure's history (see <see cref="MonitoringSeriesQuery"/>), ordered by window end, then run id.</summary>
    public async Task<IReadOnlyList<MonitoringSeriesPoint>> ReadSeriesAsync(MonitoringSeriesQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        MonitoringValidation.Require(!string.IsNullOrWhiteSpace(query.ModelName), "query.ModelName", "must not be empty");
        MonitoringValidation.Require(!string.IsNullOrWhiteSpace(query.Metric), "query.Metric", "must not be empty");
        MonitoringValidation.Require(query.To > query.From, "query.To", "must be after From");
        MonitoringValidation.ValidateScope(query.ModelVersion, query.Arm, "query");
        return await _store.ReadAsync((session, ct) => _statements.ReadSeriesAsync(session, query, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the store can be written now (readiness); a fault is a result, not an exception.</summary>
    public Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken = default) => _store.Database.CheckWritableAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_store.Database.IsDisposed)
        {
            return;
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        Windows.Dispose();
        Scopes.Dispose();
    }
}
