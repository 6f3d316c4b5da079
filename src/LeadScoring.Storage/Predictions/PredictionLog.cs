using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// The durable prediction log: every scored lead, appended in batches (one transaction per batch, all rows or none),
/// read back by lead, by time range (keyset pages, so an export of millions of rows never sits in memory) and by
/// model version, and trimmed by retention in short transactions. On the shared foundation of <c>Sql/</c>, schema
/// component <c>predictions</c>; create one with <see cref="PredictionLogFactory"/>.
/// </summary>
public sealed class PredictionLog : IAsyncDisposable
{
    /// <summary>The largest page a range read returns.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Rows deleted per retention transaction: short enough that appends never wait long for the write lock.</summary>
    public const int DefaultDeleteChunkSize = 5_000;

    private const string Columns =
        "id, request_id, lead_id, scored_at, model_name, model_version, arm, score, band, latency_us, features_json, shadow_model_version, shadow_score";

    private readonly SqlComponent _store;
    private readonly SqlDialect _dialect;
    private readonly PredictionWriter _writer;

    /// <summary>The log on <paramref name="database"/>; the log owns it and disposes it.</summary>
    internal PredictionLog(SqlDatabase database)
    {
        _store = new SqlComponent(database, PredictionSchema.Component, PredictionSchema.Steps);
        _dialect = _store.Dialect;
        _writer = PredictionWriter.For(_dialect);
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider => _dialect.Provider;

    /// <summary>Names the database in messages ("the SQLite database /srv/data/predictions.db").</summary>
    public string StoreDescription => _dialect.Description;

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestSchemaVersion => _store.LatestSchemaVersion;

    /// <summary>The database this log runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>Creates or migrates the schema; called on first use by every other method. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>
    /// Writes <paramref name="batch"/> in one transaction: when this returns, every record is committed; when it
    /// throws, none is. A bad record is an <see cref="ArgumentException"/> naming its index and field, before anything
    /// is written; a store that cannot be written is a <see cref="StoreUnavailableException"/>.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken = default)
    {
        PredictionValidation.Validate(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await _store.WriteAsync(
            async (session, ct) =>
            {
                await _writer.WriteAsync(session, batch, ct).ConfigureAwait(false);
                return 0;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An appender for a writer that appends batch after batch on one kept connection. Nothing is opened (nor the
    /// schema migrated) until its first batch, so a store that is down now fails batches, not this call; the caller
    /// owns it and disposes it before disposing the log.
    /// </summary>
    public PredictionLogAppender OpenAppender() => new(_store, _writer);

    /// <summary>
    /// SQLite: copies committed pages from the write-ahead log into the log's file (a passive checkpoint, which never
    /// waits for nor blocks the writer), so the writer's own automatic checkpoint finds little left to copy and sync.
    /// False on PostgreSQL, which has nothing of the kind to do.
    /// </summary>
    public Task<bool> CheckpointAsync(CancellationToken cancellationToken = default) => _dialect.CheckpointAsync(cancellationToken);

    /// <summary>Every logged score of <paramref name="leadId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPrediction>> GetByLeadAsync(string leadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadId);
        return await _store.ReadAsync(
            (session, ct) => session.QueryAsync(
                $"SELECT {Columns} FROM predictions WHERE lead_id = @lead ORDER BY scored_at, id",
                [SqlArg.Text("@lead", leadId)],
                Read,
                ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of the predictions in <paramref name="range"/>, ordered by (scored_at, id), starting after
    /// <paramref name="after"/> (null: from the start). Pass the page's <see cref="PredictionPage.Next"/> to continue:
    /// every row comes exactly once across pages, however many share a timestamp.
    /// </summary>
    public async Task<PredictionPage> ReadPageAsync(PredictionRange range, PredictionCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ValidateRange(range);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);

        // The cursor raises the range's lower bound, so both databases walk the (scored_at, id) index from there.
        var from = after is not null && after.ScoredAt > range.From ? after.ScoredAt : range.From;
        var (where, args) = Filter(range with { From = from });
        if (after is not null)
        {
            where += " AND (scored_at > @after_at OR id > @after_id)";
            args.Add(_dialect.TimeArg("@after_at", after.ScoredAt));
            args.Add(SqlArg.Long("@after_id", after.Id));
        }

        args.Add(SqlArg.Int("@limit", pageSize));
        var rows = await _store.ReadAsync(
            (session, ct) => session.QueryAsync($"SELECT {Columns} FROM predictions WHERE {where} ORDER BY scored_at, id LIMIT @limit", args, Read, ct),
            cancellationToken).ConfigureAwait(false);
        return new PredictionPage(rows, rows.Count == pageSize ? rows[^1].Cursor : null);
    }

    /// <summary>
    /// Streams every prediction in <paramref name="range"/> page by page (each page its own short read), oldest
    /// first; memory holds one page. Rows appended while it runs appear when they sort after the position reached.
    /// </summary>
    public async IAsyncEnumerable<StoredPrediction> ReadRangeAsync(
        PredictionRange range, int pageSize = 1_000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PredictionCursor? after = null;
        do
        {
            var page = await ReadPageAsync(range, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Rows)
            {
                yield return row;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>How many predictions <paramref name="range"/> holds.</summary>
    public async Task<long> CountAsync(PredictionRange range, CancellationToken cancellationToken = default)
    {
        ValidateRange(range);
        var (where, args) = Filter(range);
        return await _store.ReadAsync(
            async (session, ct) => await session.ScalarInt64Async($"SELECT COUNT(*) FROM predictions WHERE {where}", args, ct).ConfigureAwait(false) ?? 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every prediction scored before <paramref name="cutoff"/>, oldest first, in transactions of
    /// <see cref="DefaultDeleteChunkSize"/> rows so appends never wait long; returns how many were deleted.
    /// Cancelling stops between chunks; the chunks already deleted stay deleted.
    /// </summary>
    public Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        DeleteOlderThanAsync(cutoff, DefaultDeleteChunkSize, afterChunk: null, cancellationToken);

    /// <summary>Whether the store can be written now (readiness); a fault is a result, not an exception.</summary>
    public Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken = default) => _store.Database.CheckWritableAsync(cancellationToken);

    /// <summary>Runs <c>SELECT 1</c> with a 5 s cap; any failure is false.</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => _store.Database.PingAsync(cancellationToken);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>
    /// Retention with its chunk size; after each full chunk is committed (more may follow), calls
    /// <paramref name="afterChunk"/> with the running total.
    /// </summary>
    internal async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, int chunkSize, Func<long, Task>? afterChunk, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        long total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var deleted = await _store.WriteAsync(
                (session, ct) => session.ExecuteAsync(
                    """
                    DELETE FROM predictions WHERE id IN (
                        SELECT id FROM predictions WHERE scored_at < @cutoff ORDER BY scored_at, id LIMIT @chunk)
                    """,
                    [_dialect.TimeArg("@cutoff", cutoff), SqlArg.Int("@chunk", chunkSize)],
                    ct),
                onUniqueViolation: null,
                cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < chunkSize)
            {
                return total;
            }

            if (afterChunk is not null)
            {
                await afterChunk(total).ConfigureAwait(false);
            }
        }
    }

    private static void ValidateRange(PredictionRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (range.To <= range.From)
        {
            throw new ArgumentException("the range's To must be after its From", nameof(range));
        }

        if (range.ModelVersion is not null && range.ModelName is null)
        {
            throw new ArgumentException("a range with a model version must name the model", nameof(range));
        }
    }

    private (string Where, List<SqlArg> Args) Filter(PredictionRange range)
    {
        var where = "scored_at >= @from AND scored_at < @to";
        List<SqlArg> args = [_dialect.TimeArg("@from", range.From), _dialect.TimeArg("@to", range.To)];
        if (range.ModelName is not null)
        {
            where += " AND model_name = @model";
            args.Add(SqlArg.Text("@model", range.ModelName));
        }

        if (range.ModelVersion is int version)
        {
            where += " AND model_version = @version";
            args.Add(SqlArg.Int("@version", version));
        }

        return (where, args);
    }

    private StoredPrediction Read(DbDataReader r) => ReadRow(r, _dialect);

    /// <summary>
    /// A prediction from the first 13 columns of <paramref name="r"/>, in the order of <c>SELECT id, request_id, …,
    /// shadow_score</c> (this log's column list); the feedback join reads its rows with it too.
    /// </summary>
    internal static StoredPrediction ReadRow(DbDataReader r, SqlDialect dialect) => new(
        r.GetInt64(0),
        new PredictionRecord(
            r.GetString(1), r.GetString(2), dialect.ReadTime(r, 3), r.GetString(4), r.GetInt32(5), r.GetString(6), r.GetDouble(7),
            r.GetString(8), r.GetInt64(9), r.GetString(10))
        {
            ShadowModelVersion = r.IsDBNull(11) ? null : r.GetInt32(11),
            ShadowScore = r.IsDBNull(12) ? null : r.GetDouble(12),
        });
}
