using System.Globalization;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Retraining;

/// <summary>
/// Retraining runs (what asked for them, where they are, what each step produced), their audit trail and their
/// hyper-parameter search trials, in the registry's database (component <c>retraining</c>). Create one with
/// <see cref="RetrainingStoreFactory"/>.
/// </summary>
/// <remarks>
/// <para><b>One unfinished run per model</b>: checked in the creating transaction, and backed by a partial unique index
/// on the model's name over the runs that are not terminal, so two replicas' triggers racing leave one run and the
/// other gets <see cref="RetrainingConflictException"/>.</para>
/// <para><b>Claims</b>: a worker claims the oldest queued run, or a run in a working status whose claim expired (its
/// worker died: the new holder restarts it), for a lease it renews while it works. Claiming locks the run's row
/// (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so claimers pass each other; SQLite: <c>BEGIN IMMEDIATE</c> serialises
/// them) and re-checks it, so two workers never get the same run. Expiry is compared with the injected clock, so
/// replicas' clocks must agree to well within the lease.</para>
/// <para><b>Changes lock the run's row</b> and re-check its state: a terminal run never changes again, and a worker
/// that names itself must still hold an unexpired claim. Each status change writes its event in the same
/// transaction.</para>
/// </remarks>
public sealed class RetrainingStore : IAsyncDisposable
{
    /// <summary>The largest page <see cref="ListAsync"/> returns.</summary>
    public const int MaxPageSize = 500;

    private readonly SqlComponent _store;
    private readonly RetrainingStatements _statements;

    /// <summary>The store on <paramref name="database"/> (the registry's); the store owns it and disposes it.</summary>
    internal RetrainingStore(SqlDatabase database)
    {
        _store = new SqlComponent(database, RetrainingSchema.Component, RetrainingSchema.Steps);
        _statements = new RetrainingStatements(_store.Dialect);
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _store.Dialect.Description;

    /// <summary>The database this store runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _store.Database;

    /// <summary>Creates or migrates the schema; called on first use by every other method. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _store.EnsureMigratedAsync(cancellationToken);

    /// <summary>
    /// Queues a run (status Queued) with a "queued" event by its requester (detail: the reason, else the trigger's
    /// detail). A broken run is an <see cref="ArgumentException"/> naming the field (<see cref="RetrainingValidation"/>);
    /// a model that already has a run that is not terminal is a <see cref="RetrainingConflictException"/> naming it.
    /// </summary>
    public async Task<RetrainingRun> CreateAsync(NewRetrainingRun run, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.Validate(run);
        try
        {
            return await WriteAsync(
                async (session, ct) =>
                {
                    if (await _statements.UnfinishedIdAsync(session, run.ModelName, ct).ConfigureAwait(false) is long active)
                    {
                        throw Conflict(run.ModelName, active);
                    }

                    var now = _store.Database.Now();
                    var id = await _statements.InsertAsync(session, run, now, ct).ConfigureAwait(false);
                    await _statements.EventAsync(session, id, now, RetrainingNames.Of(RetrainingStatus.Queued), run.RequestedBy, run.Reason ?? run.TriggerDetail, ct).ConfigureAwait(false);
                    return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RetrainingConflictException e) when (e.ActiveRunId is null)
        {
            // The index refused a run created concurrently: name the run that won.
            var winner = await GetActiveAsync(run.ModelName, cancellationToken).ConfigureAwait(false);
            throw winner is null ? e : Conflict(run.ModelName, winner.Id);
        }
    }

    /// <summary>The run, or null when no run has that id.</summary>
    public Task<RetrainingRun?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _store.ReadAsync((session, ct) => _statements.ReadAsync(session, id, lockRow: false, ct), cancellationToken);

    /// <summary>The model's run that is not terminal (at most one), or null when it has none.</summary>
    public async Task<RetrainingRun?> GetActiveAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        var rows = await _store.ReadAsync(
            (session, ct) => _statements.QueryAsync(session, $"WHERE model_name = @name AND {RetrainingStatements.UnfinishedCondition}", [SqlArg.Text("@name", modelName)], ct),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The model's newest run (by id, any status), of one trigger or of any; null when it has none.</summary>
    public async Task<RetrainingRun?> GetLatestAsync(string modelName, RetrainingTrigger? trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        var page = await ListAsync(new RetrainingQuery(modelName, Trigger: trigger, PageSize: 1), cancellationToken).ConfigureAwait(false);
        return page.Runs.Count == 0 ? null : page.Runs[0];
    }

    /// <summary>One page of runs matching the query, newest first (keyset on id); a page size outside 1–<see cref="MaxPageSize"/> is refused.</summary>
    public async Task<RetrainingPage> ListAsync(RetrainingQuery query, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.Validate(query);
        var (condition, args) = RetrainingStatements.Where(query);
        var rows = await _store.ReadAsync(
            (session, ct) => _statements.QueryAsync(session, condition + " ORDER BY id DESC LIMIT @limit", [.. args, SqlArg.Int("@limit", query.PageSize + 1)], ct),
            cancellationToken).ConfigureAwait(false);
        return rows.Count > query.PageSize ? new RetrainingPage(rows[..query.PageSize], rows[query.PageSize - 1].Id) : new RetrainingPage(rows, null);
    }

    /// <summary>Every run that is not terminal, oldest first (the worker's and the promotion driver's view).</summary>
    public async Task<IReadOnlyList<RetrainingRun>> ListUnfinishedAsync(CancellationToken cancellationToken = default) =>
        await _store.ReadAsync(
            (session, ct) => _statements.QueryAsync(session, $"WHERE {RetrainingStatements.UnfinishedCondition} ORDER BY id", [], ct),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Gives <paramref name="worker"/> the oldest run that is Queued, or in a working status, whose claim is free or
    /// expired, until now + <paramref name="lease"/>; sets its StartedAt the first time. Taking over another
    /// worker's expired claim writes a <see cref="RetrainingNames.Reclaimed"/> event (the caller restarts the run).
    /// Null when no run is claimable. Two workers never get the same run.
    /// </summary>
    public async Task<RetrainingRun?> ClaimNextAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.ValidateName(worker, nameof(worker));
        RetrainingValidation.ValidateLease(lease);
        return await WriteAsync<RetrainingRun?>(
            async (session, ct) =>
            {
                var now = _store.Database.Now();
                var next = await _statements.NextClaimableAsync(session, now, ct).ConfigureAwait(false);
                if (next is null || await _statements.ClaimAsync(session, next.Id, worker, now, now + lease, ct).ConfigureAwait(false) != 1)
                {
                    return null;
                }

                if (next.ClaimedBy is { } previous)
                {
                    var detail = Text($"{worker} took over {RetrainingNames.Of(next.Status)} from {previous}, whose claim expired at {next.ClaimedUntil:O}");
                    await _statements.EventAsync(session, next.Id, now, RetrainingNames.Reclaimed, worker, detail, ct).ConfigureAwait(false);
                }

                return await RequireAsync(session, next.Id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives <paramref name="worker"/> run <paramref name="id"/> (Queued, or working with a free or expired claim) until
    /// now + <paramref name="lease"/>: a process that queued a run to work on it itself (the CLI with a data file) takes
    /// that run, not the oldest. Null when the run is not claimable (another worker has it, or it moved on).
    /// </summary>
    public async Task<RetrainingRun?> ClaimAsync(long id, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.ValidateName(worker, nameof(worker));
        RetrainingValidation.ValidateLease(lease);
        return await WriteAsync<RetrainingRun?>(
            async (session, ct) =>
            {
                var now = _store.Database.Now();
                var before = await _statements.ReadAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                if (before is null || await _statements.ClaimAsync(session, id, worker, now, now + lease, ct).ConfigureAwait(false) != 1)
                {
                    return null;
                }

                // Taking over an expired claim is a step of the run's record, as it is for ClaimNextAsync.
                if (before.ClaimedBy is { } previous)
                {
                    var detail = Text($"{worker} took over {RetrainingNames.Of(before.Status)} from {previous}, whose claim expired at {before.ClaimedUntil:O}");
                    await _statements.EventAsync(session, id, now, RetrainingNames.Reclaimed, worker, detail, ct).ConfigureAwait(false);
                }

                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Extends <paramref name="worker"/>'s claim on a Queued or working run to now + <paramref name="lease"/>. True
    /// while the worker is the claim's holder (an expired claim nobody took over is revived); false when another
    /// worker took it, the run left its working statuses (cancelled, say) or does not exist: the worker should stop.
    /// </summary>
    public async Task<bool> RenewClaimAsync(long id, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.ValidateName(worker, nameof(worker));
        RetrainingValidation.ValidateLease(lease);
        return await WriteAsync(
            async (session, ct) => await _statements.RenewAsync(session, id, worker, _store.Database.Now() + lease, ct).ConfigureAwait(false) == 1,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the run to <paramref name="update"/>'s status and sets its non-null fields, with an event (step: the
    /// status's wire name) by <paramref name="actor"/> in the same transaction: UpdatedAt is now, StartedAt is set
    /// by the first working status, EndedAt by a terminal one; a status that is not working clears the claim.
    /// With <paramref name="worker"/> the worker must hold an unexpired claim on the run. Refused with
    /// <see cref="RetrainingStateException"/> (nothing written) when the run is terminal (even into the same
    /// status) or the worker does not hold its claim; <see cref="RetrainingNotFoundException"/> for an unknown id.
    /// </summary>
    public async Task<RetrainingRun> AdvanceAsync(
        long id, RetrainingRunUpdate update, string actor, string? detail = null, string? worker = null, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.Validate(update);
        RetrainingValidation.ValidateName(actor, nameof(actor));
        if (worker is not null)
        {
            RetrainingValidation.ValidateName(worker, nameof(worker));
        }

        return await WriteAsync(
            async (session, ct) =>
            {
                var current = await RequireAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                var now = _store.Database.Now();
                if (current.IsTerminal)
                {
                    throw Refused(current, update.Status, Text($"run {id} is {RetrainingNames.Of(current.Status)}, which is terminal: it cannot move to {RetrainingNames.Of(update.Status)}"));
                }

                if (worker is not null && !(current.ClaimedBy == worker && current.ClaimedUntil > now))
                {
                    var holder = current.ClaimedBy is null ? "nobody holds its claim" : Text($"its claim is {current.ClaimedBy}'s until {current.ClaimedUntil:O}");
                    throw Refused(current, update.Status, Text($"run {id} ({RetrainingNames.Of(current.Status)}) is not claimed by {worker} ({holder}): it cannot move to {RetrainingNames.Of(update.Status)}"));
                }

                await _statements.AdvanceAsync(session, id, update, now, ct).ConfigureAwait(false);
                await _statements.EventAsync(session, id, now, RetrainingNames.Of(update.Status), actor, detail, ct).ConfigureAwait(false);
                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives up <paramref name="worker"/>'s claim on the run (it stops working on it, e.g. shutting down), so another
    /// worker can claim it at once. True when the worker held it; false otherwise (nothing written).
    /// </summary>
    public async Task<bool> ReleaseClaimAsync(long id, string worker, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.ValidateName(worker, nameof(worker));
        return await WriteAsync(
            async (session, ct) => await session.ExecuteAsync(
                "UPDATE retraining_runs SET claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by = @worker",
                [SqlArg.Long("@id", id), SqlArg.Text("@worker", worker)],
                ct).ConfigureAwait(false) == 1,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a step that is not a status change (a promotion step's outcome, a note) on the run's audit trail,
    /// terminal or not. <see cref="RetrainingNotFoundException"/> for an unknown id.
    /// </summary>
    public async Task<RetrainingEvent> AddEventAsync(long runId, string step, string actor, string? detail = null, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.ValidateName(step, nameof(step));
        RetrainingValidation.ValidateName(actor, nameof(actor));
        return await WriteAsync(
            async (session, ct) =>
            {
                await RequireAsync(session, runId, lockRow: true, ct).ConfigureAwait(false);
                await _statements.EventAsync(session, runId, _store.Database.Now(), step, actor, detail, ct).ConfigureAwait(false);
                return (await _statements.ReadEventsAsync(session, runId, ct).ConfigureAwait(false))[^1];
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's audit trail, oldest first (empty for an unknown id).</summary>
    public async Task<IReadOnlyList<RetrainingEvent>> GetEventsAsync(long runId, CancellationToken cancellationToken = default) =>
        await _store.ReadAsync((session, ct) => _statements.ReadEventsAsync(session, runId, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Stores search trials of the run in one transaction; a trial whose number the run already has replaces it
    /// (idempotent: a worker may send a trial again). Each trial must carry <paramref name="runId"/>;
    /// <see cref="RetrainingNotFoundException"/> for an unknown run.
    /// </summary>
    public async Task AddTrialsAsync(long runId, IReadOnlyList<RetrainingTrial> trials, CancellationToken cancellationToken = default)
    {
        RetrainingValidation.Validate(runId, trials);
        if (trials.Count == 0)
        {
            return;
        }

        await WriteAsync(
            async (session, ct) =>
            {
                await RequireAsync(session, runId, lockRow: true, ct).ConfigureAwait(false);
                foreach (var trial in trials)
                {
                    await RetrainingStatements.UpsertTrialAsync(session, trial, ct).ConfigureAwait(false);
                }

                return trials.Count;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's trials by number (empty for an unknown id).</summary>
    public async Task<IReadOnlyList<RetrainingTrial>> GetTrialsAsync(long runId, CancellationToken cancellationToken = default) =>
        await _store.ReadAsync((session, ct) => RetrainingStatements.ReadTrialsAsync(session, runId, ct), cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static RetrainingConflictException Conflict(string modelName, long active) =>
        new(Text($"model '{modelName}' already has a retraining run in progress ({active}); it must finish or be cancelled first")) { ActiveRunId = active };

    private static RetrainingStateException Refused(RetrainingRun run, RetrainingStatus requested, string message) =>
        new(message) { RunId = run.Id, Status = run.Status, Requested = requested };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private async Task<RetrainingRun> RequireAsync(SqlSession session, long id, bool lockRow, CancellationToken cancellationToken) =>
        await _statements.ReadAsync(session, id, lockRow, cancellationToken).ConfigureAwait(false)
        ?? throw new RetrainingNotFoundException(Text($"no retraining run has id {id}")) { RunId = id };

    private Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            work,
            // Only the one-unfinished index can be violated: a concurrent create for the same model won.
            e => new RetrainingConflictException("the model already has a retraining run in progress (created concurrently); nothing was written", e),
            cancellationToken);
}
