using System.Runtime.CompilerServices;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Feedback;

/// <summary>
/// The one join of predictions and outcomes that monitoring and retraining share: "labelled leads of model M
/// (version V, arm A) scored in [from, to), first score per lead, outcomes known by T", plus the match summary and
/// the matched count of an outcome batch. Read-only over the prediction log's and the outcomes' tables in one
/// database (SQLite <c>predictions.db</c>, or the shared PostgreSQL database); both schemas are migrated on first
/// use, so it works on a fresh store too. Create one with <see cref="FeedbackReaderFactory"/>.
/// </summary>
public sealed class FeedbackReader : IAsyncDisposable
{
    /// <summary>The largest page a labelled read returns.</summary>
    public const int MaxPageSize = PredictionLog.MaxPageSize;

    private readonly SqlDatabase _database;
    private readonly SchemaMigrator _predictions;
    private readonly SchemaMigrator _outcomes;
    private readonly FeedbackStatements _statements;

    /// <summary>The reader on <paramref name="database"/>; the reader owns it and disposes it.</summary>
    internal FeedbackReader(SqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _predictions = new SchemaMigrator(database, PredictionSchema.Component, PredictionSchema.Steps(database.Dialect.Types));
        _outcomes = new SchemaMigrator(database, OutcomeSchema.Component, OutcomeSchema.Steps(database.Dialect.Types));
        _statements = new FeedbackStatements(database.Dialect);
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _database.Dialect.Description;

    /// <summary>The database this reader runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _database;

    /// <summary>Creates or migrates the prediction log's and the outcomes' schemas (what the reads join). Idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _predictions.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await _outcomes.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of <paramref name="query"/>'s leads, ordered by their first score's (scored_at, id), starting after
    /// <paramref name="after"/> (null: from the start). Each lead comes once across pages: its first score is its
    /// earliest prediction matching the query (model, version, arm) inside the window, ties broken by log id; the
    /// outcome is the version known at KnownBy. Predictions are filtered by the window only (not by KnownBy).
    /// </summary>
    public async Task<LabelledPage> ReadLabelledPageAsync(LabelledQuery query, PredictionCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        Validate(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var rows = await ReadAsync((session, ct) => _statements.ReadLabelledPageAsync(session, query, after, pageSize, ct), cancellationToken).ConfigureAwait(false);
        return new LabelledPage(rows, rows.Count == pageSize ? rows[^1].FirstScore.Cursor : null);
    }

    /// <summary>
    /// Streams every lead of <paramref name="query"/> page by page (each page its own short read), oldest first
    /// score first; memory holds one page.
    /// </summary>
    public async IAsyncEnumerable<LabelledPrediction> ReadLabelledAsync(
        LabelledQuery query, int pageSize = 1_000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PredictionCursor? after = null;
        do
        {
            var page = await ReadLabelledPageAsync(query, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Rows)
            {
                yield return row;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>
    /// How the outcomes known at <paramref name="knownBy"/> match the log: received, matched (the lead was scored,
    /// by any model, at or before <paramref name="knownBy"/>), converted, revenue, and the delay from each matched
    /// lead's first score to its outcome (median, P90). One read; the delays are streamed and only they are kept.
    /// </summary>
    public Task<MatchSummary> GetMatchSummaryAsync(DateTimeOffset knownBy, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (session, ct) =>
            {
                long received = 0, converted = 0;
                // Neumaier's compensated sum: rows come in whatever order the database reads them, and a plain sum of
                // a million revenues drifts in its last digits with that order.
                double revenue = 0, lost = 0;
                var delays = new List<long>();
                await _statements.ReadKnownOutcomesAsync(
                    session,
                    knownBy,
                    (isConverted, amount, occurredAt, firstScoredAt) =>
                    {
                        received++;
                        converted += isConverted ? 1 : 0;
                        var add = amount ?? 0;
                        var sum = revenue + add;
                        lost += Math.Abs(revenue) >= Math.Abs(add) ? (revenue - sum) + add : (add - sum) + revenue;
                        revenue = sum;
                        if (firstScoredAt is { } scoredAt)
                        {
                            delays.Add((occurredAt - scoredAt).Ticks / TimeSpan.TicksPerMicrosecond);
                        }
                    },
                    ct).ConfigureAwait(false);
                return new MatchSummary(OutcomeValidation.ToStoredTime(knownBy), received, delays.Count, converted, revenue + lost, Summarize(delays));
            },
            cancellationToken);

    /// <summary>How many distinct leads of <paramref name="leadIds"/> have at least one prediction (the matched count of an outcome batch).</summary>
    public async Task<long> CountScoredAsync(IEnumerable<string> leadIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        var ids = leadIds.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var id in ids)
        {
            OutcomeValidation.ValidateLeadId(id);
        }

        if (ids.Length == 0)
        {
            return 0;
        }

        return await ReadAsync(
            async (session, ct) =>
            {
                long scored = 0;
                foreach (var chunk in ids.Chunk(FeedbackStatements.IdsPerStatement))
                {
                    scored += await _statements.CountScoredAsync(session, chunk, ct).ConfigureAwait(false);
                }

                return scored;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database.IsDisposed)
        {
            return;
        }

        await _database.DisposeAsync().ConfigureAwait(false);
        _predictions.Dispose();
        _outcomes.Dispose();
    }

    /// <summary>Median and P90 of delays in microseconds, by linear interpolation between order statistics.</summary>
    internal static DelaySummary Summarize(List<long> microseconds)
    {
        if (microseconds.Count == 0)
        {
            return new DelaySummary(0, null, null);
        }

        microseconds.Sort();
        return new DelaySummary(microseconds.Count, Quantile(microseconds, 0.5), Quantile(microseconds, 0.9));
    }

    // NumPy's default ("linear"): position h = (n − 1)·p between the order statistics around it; the same rule as
    // Core's Quantiles.OfSorted, kept here because Storage does not depend on Core.
    private static TimeSpan Quantile(List<long> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        var microseconds = sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
        return TimeSpan.FromTicks((long)Math.Round(microseconds * TimeSpan.TicksPerMicrosecond, MidpointRounding.AwayFromZero));
    }

    private static void Validate(LabelledQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.ModelName, nameof(query));
        if (query.ScoredTo <= query.ScoredFrom)
        {
            throw new ArgumentException("the query's ScoredTo must be after its ScoredFrom", nameof(query));
        }

        if (query.ModelVersion is < 1)
        {
            throw new ArgumentException("the query's ModelVersion must be at least 1", nameof(query));
        }

        if (query.Arm is not null && !ServingArms.All.Contains(query.Arm))
        {
            throw new ArgumentException($"the query's Arm must be one of {string.Join(", ", ServingArms.All.Order(StringComparer.Ordinal))}", nameof(query));
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(work, cancellationToken).ConfigureAwait(false);
    }
}
