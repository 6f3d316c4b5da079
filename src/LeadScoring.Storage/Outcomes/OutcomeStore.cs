using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Outcomes;

/// <summary>
/// What happened to each lead, as the CRM reports it: one current outcome per lead, every replaced one kept in the
/// lead's history, each stamped with when the store received it (the injected clock) so monitoring can ask what was
/// known at a given time. On the SQL foundation (component <c>outcomes</c>): on SQLite in the prediction log's file
/// (<see cref="SqliteFileName"/>), on PostgreSQL in the shared database, with its own tables either way. Create one
/// with <see cref="OutcomeStoreFactory"/>.
/// </summary>
/// <remarks>
/// <para><b>A batch is one transaction</b> (all or nothing) and behaves as if its items were sent one after
/// another, in order: an item equal to the lead's outcome at that point is unchanged (nothing written, so sending a
/// batch again changes nothing); a different one replaces it, and the replaced one goes to the history with the
/// batch's receive time as its replaced-at. So when a lead appears twice in a batch, the last item is current and
/// the earlier one is in its history. Equal means same converted, revenue and occurred-at (at microseconds).</para>
/// <para><b>Writes are serialized</b> (SQLite's database write lock; PostgreSQL a row lock on <c>outcome_writer</c>),
/// so a replacement always sees, and keeps, the version it replaces.</para>
/// </remarks>
public sealed class OutcomeStore : IAsyncDisposable
{
    /// <summary>The SQLite file outcomes share with the prediction log in the data directory.</summary>
    public const string SqliteFileName = Predictions.PredictionLogFactory.SqliteFileName;

    private readonly SqlComponent _store;
    private readonly OutcomeStatements _statements;

    /// <summary>The store on <paramref name="database"/>; the store owns it and disposes it.</summary>
    internal OutcomeStore(SqlDatabase database)
    {
        _store = new SqlComponent(database, OutcomeSchema.Component, OutcomeSchema.Steps);
        _statements = new OutcomeStatements(_store.Dialect);
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _store.Database.Dialect.Description;

    /// <summary>The database this store runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>Creates or migrates the schema; called on first use by every other method. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>
    /// Records <paramref name="outcomes"/> from <paramref name="source"/> in one transaction (see the class remarks).
    /// Every item is checked first (<see cref="OutcomeValidation"/>); one bad item refuses the whole batch with an
    /// <see cref="InvalidOutcomeException"/> naming it. Batches of tens of thousands are written with multi-row
    /// statements.
    /// </summary>
    public async Task<OutcomeBatchResult> RecordAsync(IReadOnlyList<OutcomeRecord> outcomes, string source, CancellationToken cancellationToken = default)
    {
        var rounds = OutcomeValidation.Prepare(outcomes, source);
        if (outcomes.Count == 0)
        {
            return new OutcomeBatchResult(0, 0, 0);
        }

        return await _store.WriteAsync(
            async (session, ct) =>
            {
                await _statements.LockWritersAsync(session, ct).ConfigureAwait(false);
                var now = _store.Database.Now();
                int replaced = 0, written = 0;
                foreach (var round in rounds)
                {
                    var (r, w) = await _statements.WriteAsync(session, round, source, now, ct).ConfigureAwait(false);
                    replaced += r;
                    written += w;
                }

                return new OutcomeBatchResult(written - replaced, replaced, outcomes.Count - written);
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lead's current outcome, or null when none was received.</summary>
    public Task<StoredOutcome?> GetCurrentAsync(string leadId, CancellationToken cancellationToken = default)
    {
        OutcomeValidation.ValidateLeadId(leadId);
        return ReadAsync((session, ct) => _statements.ReadCurrentAsync(session, leadId, ct), cancellationToken);
    }

    /// <summary>Every version of the lead's outcome, oldest first; the last is the current one (empty when none).</summary>
    public Task<IReadOnlyList<StoredOutcome>> GetHistoryAsync(string leadId, CancellationToken cancellationToken = default)
    {
        OutcomeValidation.ValidateLeadId(leadId);
        return ReadAsync<IReadOnlyList<StoredOutcome>>(
            async (session, ct) =>
            {
                var versions = await _statements.ReadReplacedAsync(session, leadId, ct).ConfigureAwait(false);
                if (await _statements.ReadCurrentAsync(session, leadId, ct).ConfigureAwait(false) is StoredOutcome current)
                {
                    versions.Add(current);
                }

                return versions;
            },
            cancellationToken);
    }

    /// <summary>
    /// The outcome each of <paramref name="leadIds"/> had at <paramref name="knownBy"/> (received by then, not yet
    /// replaced then), ordered by lead id; leads without one then are left out. <c>ReplacedAt</c> is null: what
    /// happened after <paramref name="knownBy"/> is not known at it.
    /// </summary>
    public Task<IReadOnlyList<StoredOutcome>> ReadKnownByAsync(IReadOnlyCollection<string> leadIds, DateTimeOffset knownBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        var ids = leadIds.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var id in ids)
        {
            OutcomeValidation.ValidateLeadId(id);
        }

        return ReadAsync<IReadOnlyList<StoredOutcome>>(
            async (session, ct) =>
            {
                var known = new List<StoredOutcome>(ids.Length);
                foreach (var chunk in ids.Chunk(OutcomeStatements.IdsPerStatement))
                {
                    var names = chunk.Select((_, i) => "@id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    known.AddRange(await _statements.ReadKnownByAsync(
                        session,
                        $"lead_id IN ({string.Join(", ", names)})",
                        [.. chunk.Select((id, i) => SqlArg.Text(names[i], id))],
                        knownBy,
                        ct).ConfigureAwait(false));
                }

                return SortedByLead(known);
            },
            cancellationToken);
    }

    /// <summary>
    /// The outcome every lead had at <paramref name="knownBy"/> (as above) when that outcome occurred in
    /// [<paramref name="occurredFrom"/>, <paramref name="occurredTo"/>), ordered by lead id.
    /// </summary>
    public Task<IReadOnlyList<StoredOutcome>> ReadKnownByAsync(DateTimeOffset occurredFrom, DateTimeOffset occurredTo, DateTimeOffset knownBy, CancellationToken cancellationToken = default)
    {
        if (occurredTo < occurredFrom)
        {
            throw new ArgumentException("occurredTo must not be before occurredFrom", nameof(occurredTo));
        }

        var dialect = _store.Database.Dialect;
        return ReadAsync<IReadOnlyList<StoredOutcome>>(
            async (session, ct) => SortedByLead(await _statements.ReadKnownByAsync(
                session,
                "occurred_at >= @from AND occurred_at < @to",
                [dialect.TimeArg("@from", OutcomeValidation.ToStoredTime(occurredFrom)), dialect.TimeArg("@to", OutcomeValidation.ToStoredTime(occurredTo))],
                knownBy,
                ct).ConfigureAwait(false)),
            cancellationToken);
    }

    /// <summary>Leads with an outcome, how many converted, and the revenue they brought.</summary>
    public Task<OutcomeSummary> GetSummaryAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(OutcomeStatements.ReadSummaryAsync, cancellationToken);

    /// <summary>Whether the store can be written now (readiness); a fault is a result, not an exception.</summary>
    public Task<StoreWriteCheck> CheckWritableAsync(CancellationToken cancellationToken = default) => _store.Database.CheckWritableAsync(cancellationToken);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static List<StoredOutcome> SortedByLead(List<StoredOutcome> outcomes)
    {
        // Sorted here, not in SQL, so the order is ordinal on both databases whatever the collation.
        outcomes.Sort((a, b) => string.CompareOrdinal(a.LeadId, b.LeadId));
        return outcomes;
    }

    private Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _store.ReadAsync(work, cancellationToken);
}
