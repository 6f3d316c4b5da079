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

    private readonly SqlComponent _store;

    internal AlertStore(SqlDatabase database)
    {
        _store = new SqlComponent(database, "alerts", _ => throw new NotImplementedException());
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _store.Dialect.Description;

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
    public Task<AlertBatchResult> ApplyAsync(AlertFindingBatch batch, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The value of checkpoint <paramref name="name"/>, or null before it was first written.</summary>
    public Task<long?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The subset of <paramref name="sources"/> already applied.</summary>
    public Task<IReadOnlySet<string>> AppliedSourcesAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One page of alerts matching <paramref name="filter"/>, newest (highest id) first, before id <paramref name="before"/>.</summary>
    public Task<AlertPage> ListAlertsAsync(AlertFilter filter, long? before = null, int pageSize = 50, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The alert with its latest <paramref name="findings"/> findings and all its deliveries and attempts; null when there is no alert <paramref name="id"/>.</summary>
    public Task<AlertDetail?> GetAlertAsync(long id, int findings = 50, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Acknowledges firing alert <paramref name="id"/> (no reminders until it resolves or escalates) and queues an
    /// Acknowledge delivery to "pagerduty" when it got a trigger there. Idempotent for an acknowledged alert. Null
    /// when there is no such alert; an <see cref="AlertStateException"/> when it is resolved.
    /// </summary>
    public Task<Alert?> AcknowledgeAsync(long id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> for <paramref name="worker"/>
    /// for <paramref name="lease"/> (oldest first); another worker does not get them until the lease ends, so two
    /// replicas never send the same delivery at once, and a worker that died mid-send gives them back.
    /// </summary>
    public Task<IReadOnlyList<AlertDelivery>> ClaimDueDeliveriesAsync(string worker, DateTimeOffset now, TimeSpan lease, int limit = 20, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Records one attempt of delivery <paramref name="deliveryId"/> claimed by <paramref name="worker"/>: Sent on success,
    /// else Pending again at <see cref="DeliveryOutcome.RetryAt"/>, or Failed when that is null. False (nothing written)
    /// when the claim was lost (the lease ended and another worker claimed it).
    /// </summary>
    public Task<bool> RecordAttemptAsync(long deliveryId, string worker, DeliveryOutcome outcome, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>When the next pending delivery is due; null when none is pending.</summary>
    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Stores a silence and returns it. Who and why are required; it must end after it starts.</summary>
    public Task<Silence> AddSilenceAsync(NewSilence silence, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Silences in force at <paramref name="at"/> (or every one, newest first, when <paramref name="includeEnded"/>).</summary>
    public Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset at, bool includeEnded = false, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Ends silence <paramref name="id"/> at <paramref name="at"/>; null when there is no such silence.</summary>
    public Task<Silence?> ExpireSilenceAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}

/// <summary>An operation the alert's state does not allow (acknowledging a resolved alert).</summary>
public sealed class AlertStateException(string message) : Exception(message);
