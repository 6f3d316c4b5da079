using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Alerting;

/// <summary>
/// Alerts, their findings, the outbox of deliveries to channels with every attempt, and silences. On the SQL
/// foundation (component <c>alerts</c>), in the registry's database: on SQLite <c>leadscoring.db</c>, on PostgreSQL
/// the shared database. A finding, the alert it opens, updates or resolves, and the deliveries it owes are written in
/// one transaction, so no alert is lost between deciding and telling. Create one with <see cref="AlertStoreFactory"/>.
/// </summary>
public sealed class AlertStore : IAsyncDisposable
{
    /// <summary>The largest page <see cref="ListAlertsAsync"/> returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The most deliveries one <see cref="ClaimDueDeliveriesAsync"/> claims.</summary>
    public const int MaxClaimLimit = 500;

    /// <summary>The most findings <see cref="GetAlertAsync"/> returns.</summary>
    public const int MaxFindings = 1_000;

    /// <summary>The longest error an attempt keeps (a longer one is cut).</summary>
    public const int MaxErrorLength = 2_000;

    // Two batches opening the same rule and subject at once: the second meets the one-firing index, and applied
    // again it finds the alert the first opened. Bounded, as a concurrent open is rare.
    private const int MaxApplyTries = 3;

    // Sources per IN list (well under either database's parameter limit).
    private const int SourcesPerQuery = 500;

    private readonly SqlComponent _store;
    private readonly AlertStatements _alerts;
    private readonly AlertDeliveryStatements _deliveries;
    private readonly AlertSilenceStatements _silences;
    private readonly AlertBatchApplier _applier;

    /// <summary>The store on <paramref name="database"/> (the registry's); the store owns it and disposes it.</summary>
    internal AlertStore(SqlDatabase database)
    {
        _store = new SqlComponent(database, AlertSchema.Component, AlertSchema.Steps);
        _alerts = new AlertStatements(_store.Dialect);
        _deliveries = new AlertDeliveryStatements(_store.Dialect);
        _silences = new AlertSilenceStatements(_store.Dialect);
        _applier = new AlertBatchApplier(database, _alerts, _deliveries, _silences);
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _store.Dialect.Description;

    /// <summary>The database this store runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>Creates or migrates the schema; called on first use by every other method. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>
    /// Applies <paramref name="batch"/> in one transaction, unless its source was applied before. Per finding: the open
    /// alert of its rule and subject and any silence covering it (rule, subject, model at the finding's time) go through
    /// Core's <see cref="AlertLifecycle"/> with the finding's cooldown; the finding is stored unless the action is None; the alert
    /// is opened, updated, re-notified or resolved; and the deliveries are queued: Open → Trigger, Notify → Reminder (or
    /// Escalation when the level rose) to the finding's channels; Resolve → Resolve to the channels that got a Trigger,
    /// Reminder or Escalation of this alert; Suppress → none. A bad field is an ArgumentException naming it, nothing written.
    /// </summary>
    /// <remarks>
    /// Times of findings are kept to the microsecond. An escalation clears an acknowledgement (the lifecycle's
    /// acknowledged flag is the stored acknowledgement), so reminders resume until someone acknowledges the new level.
    /// Deliveries are due at once (the store's clock).
    /// </remarks>
    public async Task<AlertBatchResult> ApplyAsync(AlertFindingBatch batch, CancellationToken cancellationToken = default)
    {
        AlertValidation.Validate(batch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.WriteAsync(
                    (session, ct) => _applier.ApplyAsync(session, batch, ct),
                    e => new ConcurrentOpenException(e),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrentOpenException) when (attempt < MaxApplyTries)
            {
                // Rolled back; apply again on top of the concurrent batch's alert.
            }
        }
    }

    /// <summary>The value of checkpoint <paramref name="name"/>, or null before it was first written.</summary>
    public Task<long?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        AlertValidation.RequireName(name, nameof(name));
        return _store.ReadAsync((session, ct) => AlertStatements.ReadCheckpointAsync(session, name, ct), cancellationToken);
    }

    /// <summary>The subset of <paramref name="sources"/> already applied.</summary>
    public async Task<IReadOnlySet<string>> AppliedSourcesAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var distinct = sources.Where(s => s is not null).Distinct(StringComparer.Ordinal).ToList();
        var applied = new HashSet<string>(StringComparer.Ordinal);
        if (distinct.Count == 0)
        {
            return applied;
        }

        return await _store.ReadAsync(
            async (session, ct) =>
            {
                foreach (var chunk in distinct.Chunk(SourcesPerQuery))
                {
                    applied.UnionWith(await AlertStatements.AppliedSourcesAsync(session, chunk, ct).ConfigureAwait(false));
                }

                return applied;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of alerts matching <paramref name="filter"/>, newest (highest id) first, before id <paramref name="before"/>.</summary>
    public async Task<AlertPage> ListAlertsAsync(AlertFilter filter, long? before = null, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"pageSize must be 1–{MaxPageSize}");
        }

        var (condition, args) = AlertQuery.Where(_store.Dialect, filter, before);
        var rows = await _store.ReadAsync(
            (session, ct) => _alerts.QueryAsync(session, condition + " ORDER BY id DESC LIMIT @limit", [.. args, SqlArg.Int("@limit", pageSize + 1)], ct),
            cancellationToken).ConfigureAwait(false);
        return rows.Count > pageSize ? new AlertPage(rows[..pageSize], rows[pageSize - 1].Id) : new AlertPage(rows, null);
    }

    /// <summary>The alert with its latest <paramref name="findings"/> findings and all its deliveries and attempts; null when there is no alert <paramref name="id"/>.</summary>
    public async Task<AlertDetail?> GetAlertAsync(long id, int findings = 50, CancellationToken cancellationToken = default)
    {
        if (findings < 0 || findings > MaxFindings)
        {
            throw new ArgumentOutOfRangeException(nameof(findings), findings, $"findings must be 0–{MaxFindings}");
        }

        return await _store.ReadAsync(
            async (session, ct) =>
            {
                if (await _alerts.ReadAsync(session, id, lockRow: false, ct).ConfigureAwait(false) is not { } alert)
                {
                    return null;
                }

                var latest = await _alerts.ReadFindingsAsync(session, id, findings, ct).ConfigureAwait(false);
                var deliveries = await _deliveries.ReadForAlertAsync(session, id, ct).ConfigureAwait(false);
                var attempts = await _deliveries.ReadAttemptsForAlertAsync(session, id, ct).ConfigureAwait(false);
                return new AlertDetail(alert, latest, deliveries, attempts);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Acknowledges firing alert <paramref name="id"/> (no reminders until it resolves or escalates) and queues an
    /// Acknowledge delivery to "pagerduty" when it got a trigger there. Idempotent for an acknowledged alert. Null
    /// when there is no such alert; an <see cref="AlertStateException"/> when it is resolved.
    /// </summary>
    public async Task<Alert?> AcknowledgeAsync(long id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        AlertValidation.ValidateAcknowledgement(by, note);
        return await _store.WriteAsync(
            async (session, ct) =>
            {
                var alert = await _alerts.ReadAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                if (alert is null || (alert.AcknowledgedAt is not null && alert.State == AlertState.Firing))
                {
                    return alert;
                }

                if (alert.State != AlertState.Firing)
                {
                    throw new AlertStateException($"alert {id} is resolved: only a firing alert can be acknowledged");
                }

                await _alerts.AcknowledgeAsync(session, id, by, note, AlertNames.Micro(at), ct).ConfigureAwait(false);
                var acknowledged = await _alerts.ReadAsync(session, id, lockRow: false, ct).ConfigureAwait(false) ?? alert;
                var told = await AlertDeliveryStatements.NotifiedChannelsAsync(session, id, ct).ConfigureAwait(false);
                if (told.Contains(AlertChannels.PagerDuty))
                {
                    await _deliveries.EnqueueAsync(session, acknowledged, AlertChannels.PagerDuty, AlertEvent.Acknowledge, _store.Database.Now(), ct).ConfigureAwait(false);
                }

                return acknowledged;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> for <paramref name="worker"/>
    /// for <paramref name="lease"/> (oldest first); another worker does not get them until the lease ends, so two
    /// replicas never send the same delivery at once, and a worker that died mid-send gives them back.
    /// </summary>
    public async Task<IReadOnlyList<AlertDelivery>> ClaimDueDeliveriesAsync(string worker, DateTimeOffset now, TimeSpan lease, int limit = 20, CancellationToken cancellationToken = default)
    {
        AlertValidation.ValidateWorker(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (limit < 1 || limit > MaxClaimLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be 1–{MaxClaimLimit}");
        }

        var at = AlertNames.Micro(now);
        return await _store.WriteAsync(
            (session, ct) => _deliveries.ClaimAsync(session, worker, at, AlertNames.Micro(at + lease), limit, ct),
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records one attempt of delivery <paramref name="deliveryId"/> claimed by <paramref name="worker"/>: Sent on success,
    /// else Pending again at <see cref="DeliveryOutcome.RetryAt"/>, or Failed when that is null. False (nothing written)
    /// when the claim was lost (the lease ended and another worker claimed it).
    /// </summary>
    public async Task<bool> RecordAttemptAsync(long deliveryId, string worker, DeliveryOutcome outcome, CancellationToken cancellationToken = default)
    {
        AlertValidation.ValidateWorker(worker);
        AlertValidation.ValidateOutcome(outcome);
        var error = outcome.Error is { Length: > MaxErrorLength } long_ ? long_[..MaxErrorLength] : outcome.Error;
        return await _store.WriteAsync(
            async (session, ct) =>
            {
                if (await _deliveries.HeldAttemptsAsync(session, deliveryId, worker, ct).ConfigureAwait(false) is not int attempts)
                {
                    return false;
                }

                var attempt = attempts + 1;
                await _deliveries.InsertAttemptAsync(session, deliveryId, attempt, outcome, error, ct).ConfigureAwait(false);
                var (state, sentAt, retryAt) = outcome switch
                {
                    { Succeeded: true } => (DeliveryState.Sent, AlertNames.Micro(outcome.At), (DateTimeOffset?)null),
                    { RetryAt: { } retry } => (DeliveryState.Pending, (DateTimeOffset?)null, AlertNames.Micro(retry)),
                    _ => (DeliveryState.Failed, (DateTimeOffset?)null, (DateTimeOffset?)null),
                };
                await _deliveries.AfterAttemptAsync(session, deliveryId, attempt, state, sentAt, retryAt, outcome.Succeeded ? null : error ?? "failed", ct).ConfigureAwait(false);
                return true;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When the next pending delivery is due; null when none is pending. A claimed one is due when its lease ends.</summary>
    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken = default) =>
        _store.ReadAsync(_deliveries.NextDueAsync, cancellationToken);

    /// <summary>Stores a silence and returns it. Who and why are required; it must end after it starts.</summary>
    public async Task<Silence> AddSilenceAsync(NewSilence silence, CancellationToken cancellationToken = default)
    {
        AlertValidation.ValidateSilence(silence);
        return await _store.WriteAsync(
            async (session, ct) =>
            {
                var id = await _silences.InsertAsync(session, silence, _store.Database.Now(), ct).ConfigureAwait(false);
                return await _silences.ReadAsync(session, id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"silence {id} vanished inside its transaction");
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Silences in force at <paramref name="at"/> (or every one, newest first, when <paramref name="includeEnded"/>).</summary>
    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset at, bool includeEnded = false, CancellationToken cancellationToken = default) =>
        await _store.ReadAsync((session, ct) => _silences.ListAsync(session, AlertNames.Micro(at), includeEnded, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>Ends silence <paramref name="id"/> at <paramref name="at"/>; null when there is no such silence. A silence already expired keeps its first expiry.</summary>
    public async Task<Silence?> ExpireSilenceAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await _silences.ExpireAsync(session, id, AlertNames.Micro(at), ct).ConfigureAwait(false);
                return await _silences.ReadAsync(session, id, ct).ConfigureAwait(false);
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the database.</summary>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>A batch met the one-firing-alert index: a concurrent batch opened the same rule and subject first.</summary>
    private sealed class ConcurrentOpenException(Exception inner) : Exception("a concurrent batch opened the same alert", inner);
}

/// <summary>An operation the alert's state does not allow (acknowledging a resolved alert).</summary>
public sealed class AlertStateException(string message) : Exception(message);
