using System.Globalization;
using System.Text.Json;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Deployments;

/// <summary>
/// Deployments (how traffic reaches a model's champion and one challenger), their audit trail, the alerts they
/// raise and the per-minute arm counters every replica reports, in the registry's database (component
/// <c>deployments</c>; the registry's own schema is migrated first, since an approval writes it). Create one with
/// <see cref="DeploymentStoreFactory"/>.
/// </summary>
/// <remarks>
/// <para><b>One active deployment per model</b>: checked in the starting transaction, and backed by a partial unique
/// index in the database, so two concurrent starts leave one and refuse the other with
/// <see cref="DeploymentConflictException"/>.</para>
/// <para><b>Changes lock the deployment's row</b> (SQLite: <c>BEGIN IMMEDIATE</c> holds the database; PostgreSQL:
/// <c>SELECT … FOR UPDATE</c>) and re-check its state, so a step advances once from a given step, and a rollback,
/// an abort or an approval ends an active deployment exactly once.</para>
/// <para><b>Change token</b>: a counter row (<c>deployment_changes</c>) bumped as the last statement of every
/// transaction that changes a deployment (start, advance, roll back, abort, approve), so it grows in commit order;
/// replicas poll it and re-read the active deployments when it moved. Arm counters and leases do not move it: they
/// change every minute and change nothing a replica serves.</para>
/// <para><b>Approval</b> is one transaction: the deployment is completed, the challenger is promoted with the
/// registry's own <see cref="RegistryChanges"/> (the old Production version archived and still on the production
/// history, so <see cref="ModelRegistry.RollbackAsync"/> brings it back; audit entries for both), the
/// <c>champion</c> alias moves to it, and both the registry's and the deployments' change tokens move.</para>
/// </remarks>
public sealed class DeploymentStore : IAsyncDisposable
{
    /// <summary>The alias an approval moves to the promoted challenger.</summary>
    public const string ChampionAlias = "champion";

    /// <summary>The most rows a list returns.</summary>
    public const int MaxLimit = 1_000;

    private readonly SqlDatabase _database;
    private readonly SchemaMigrator _registry;
    private readonly SchemaMigrator _deployments;
    private readonly DeploymentStatements _statements;
    private readonly RegistryStatements _registryStatements;
    private readonly RegistryChanges _registryChanges;

    /// <summary>The store on <paramref name="database"/> (the registry's); the store owns it and disposes it.</summary>
    internal DeploymentStore(SqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _registry = new SchemaMigrator(database, RegistrySchema.Component, RegistrySchema.Steps(database.Dialect.Types));
        _deployments = new SchemaMigrator(database, DeploymentSchema.Component, DeploymentSchema.Steps(database.Dialect.Types));
        _statements = new DeploymentStatements(database.Dialect);
        _registryStatements = new RegistryStatements(database.Dialect);
        _registryChanges = new RegistryChanges(database.Dialect, _registryStatements);
    }

    /// <summary>Names the database in messages.</summary>
    public string StoreDescription => _database.Dialect.Description;

    /// <summary>The database this store runs on and owns (for tests).</summary>
    internal SqlDatabase Database => _database;

    /// <summary>Creates or migrates the registry's and the deployments' schemas. Called on first use; idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _registry.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await _deployments.EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a deployment at its first step (an ab deployment at its share, shadow and single at 0), with a
    /// "started" event. A broken request is an <see cref="ArgumentException"/> naming the field
    /// (<see cref="DeploymentValidation"/>); a model that already has an active deployment is a
    /// <see cref="DeploymentConflictException"/> naming it. Whether the versions exist is the caller's check
    /// (the use case's): the store keeps no reference into the registry's rows.
    /// </summary>
    public async Task<Deployment> StartAsync(NewDeployment deployment, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        var steps = DeploymentValidation.Validate(deployment);
        DeploymentValidation.ValidateActor(actor);
        DeploymentValidation.ValidateReason(reason);
        var share = deployment.Mode switch
        {
            DeploymentMode.AB => deployment.Share,
            DeploymentMode.Canary => steps[0].Share,
            _ => 0.0,
        };

        return await WriteAsync(
            async (session, ct) =>
            {
                if (await _statements.ActiveIdAsync(session, deployment.ModelName, ct).ConfigureAwait(false) is long active)
                {
                    throw ActiveConflict(deployment.ModelName, active);
                }

                var now = _database.Now();
                var id = await _statements.InsertAsync(session, deployment, steps, share, actor, reason, now, ct).ConfigureAwait(false);
                await _statements.EventAsync(session, id, now, actor, DeploymentNames.Started, reason, null, ct).ConfigureAwait(false);
                await DeploymentStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment, or null when no deployment has that id.</summary>
    public Task<Deployment?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((session, ct) => _statements.ReadAsync(session, id, lockRow: false, ct), cancellationToken);

    /// <summary>The model's active deployment, or null when it has none.</summary>
    public async Task<Deployment?> GetActiveAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        var rows = await ReadAsync(
            (session, ct) => _statements.QueryAsync(session, "WHERE model_name = @name AND state = 'active'", [SqlArg.Text("@name", modelName)], ct),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The newest <paramref name="limit"/> deployments, of one model or of all, newest first.</summary>
    public async Task<IReadOnlyList<Deployment>> ListAsync(string? modelName, int limit = 100, CancellationToken cancellationToken = default)
    {
        ValidateLimit(limit);
        return await ReadAsync(
            (session, ct) => modelName is null
                ? _statements.QueryAsync(session, "ORDER BY id DESC LIMIT @limit", [SqlArg.Int("@limit", limit)], ct)
                : _statements.QueryAsync(session, "WHERE model_name = @name ORDER BY id DESC LIMIT @limit", [SqlArg.Text("@name", modelName), SqlArg.Int("@limit", limit)], ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every model's active deployment (at most one each), oldest first: what a replica serves.</summary>
    public async Task<IReadOnlyList<Deployment>> ListActiveAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync((session, ct) => _statements.QueryAsync(session, "WHERE state = 'active' ORDER BY id", [], ct), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Moves an active canary from <paramref name="fromStep"/> to the next step (its share; the step starts now),
    /// with a "step_advanced" event. Null, with nothing written, when the deployment is no longer active or no
    /// longer at <paramref name="fromStep"/> (someone else advanced or ended it). A deployment that has no next
    /// step (not a canary, or at its last step) is a <see cref="DeploymentConflictException"/>.
    /// </summary>
    public async Task<Deployment?> AdvanceStepAsync(long id, int fromStep, string actor, string reason, string? figuresJson, CancellationToken cancellationToken = default)
    {
        DeploymentValidation.ValidateActor(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        DeploymentValidation.ValidateReason(reason);

        return await WriteAsync(
            async (session, ct) =>
            {
                var current = await RequireAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                if (current.State != DeploymentState.Active || current.Step != fromStep)
                {
                    return null;
                }

                if (current.Mode != DeploymentMode.Canary || fromStep + 1 >= current.Steps.Count)
                {
                    throw new DeploymentConflictException(Text($"deployment {id} ({DeploymentNames.Of(current.Mode)}) has no step after step {fromStep}")) { DeploymentId = id };
                }

                var now = _database.Now();
                await _statements.AdvanceAsync(session, id, fromStep, current.Steps[fromStep + 1].Share, now, ct).ConfigureAwait(false);
                await _statements.EventAsync(session, id, now, actor, DeploymentNames.StepAdvanced, reason, figuresJson, ct).ConfigureAwait(false);
                await DeploymentStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends an active deployment as rolled back (a guardrail breached; <paramref name="reason"/> says which, with
    /// the measured figures), writing a "rolled_back" event and a critical "deployment_rolled_back" alert in the
    /// same transaction. Null, with nothing written, when it was no longer active.
    /// </summary>
    public async Task<Deployment?> RollBackAsync(long id, string actor, string reason, string? figuresJson, CancellationToken cancellationToken = default)
    {
        DeploymentValidation.ValidateActor(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        DeploymentValidation.ValidateReason(reason);
        return await EndAsync(
            id,
            DeploymentState.RolledBack,
            actor,
            reason,
            async (session, ended, now, ct) =>
            {
                await _statements.EventAsync(session, id, now, actor, DeploymentNames.RolledBack, reason, figuresJson, ct).ConfigureAwait(false);
                var challenger = ended.ChallengerVersion is int v ? Text($"v{v}") : "no challenger";
                var summary = Text($"{ended.ModelName}: {DeploymentNames.Of(ended.Mode)} deployment {id} of {challenger} against v{ended.ChampionVersion} rolled back to the champion: {reason}");
                await _statements.AlertAsync(session, id, now, DeploymentNames.Critical, DeploymentNames.RolledBackAlert, summary, figuresJson, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends an active deployment as aborted (a person stopped it), with an "aborted" event. Null, with nothing written, when it was no longer active.</summary>
    public async Task<Deployment?> AbortAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        DeploymentValidation.ValidateActor(actor);
        DeploymentValidation.ValidateReason(reason);
        return await EndAsync(
            id,
            DeploymentState.Aborted,
            actor,
            reason,
            (session, _, now, ct) => _statements.EventAsync(session, id, now, actor, DeploymentNames.Aborted, reason, null, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Approves an active deployment that can be approved (<see cref="Deployment.IsApprovable"/>: a canary at its
    /// last step, or ab or shadow), in ONE transaction: the challenger goes to Production (the previous Production
    /// version to Archived, with the registry's audit entries and production history), the <c>champion</c> alias
    /// moves to it, the deployment is completed, with "approved" and "completed" events; both change tokens move.
    /// Anything else is a <see cref="DeploymentConflictException"/> and changes nothing; an unknown id is a
    /// <see cref="DeploymentNotFoundException"/>; a challenger missing from the registry a <see cref="RegistryException"/>.
    /// </summary>
    public async Task<Deployment> ApproveAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        DeploymentValidation.ValidateActor(actor);
        DeploymentValidation.ValidateReason(reason);
        return await WriteAsync(
            async (session, ct) =>
            {
                var current = await RequireAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                if (current.State != DeploymentState.Active)
                {
                    throw new DeploymentConflictException(Text($"deployment {id} is {DeploymentNames.Of(current.State)}, not active: only an active deployment can be approved")) { DeploymentId = id };
                }

                if (!current.IsApprovable || current.ChallengerVersion is not int challenger)
                {
                    throw new DeploymentConflictException(NotApprovable(current)) { DeploymentId = id };
                }

                var now = _database.Now();
                var registryReason = reason is null ? Text($"deployment {id} approved") : Text($"deployment {id} approved: {reason}");
                var modelId = await _registryStatements.LockModelAsync(session, current.ModelName, ct).ConfigureAwait(false);
                var archived = await RegistryStatements.ProductionVersionAsync(session, modelId, ct).ConfigureAwait(false);
                var promoted = await _registryChanges.TransitionAsync(session, current.ModelName, challenger, ModelStage.Production, actor, registryReason, now, ct).ConfigureAwait(false);
                var aliased = await _registryChanges.SetAliasAsync(session, current.ModelName, ChampionAlias, challenger, actor, registryReason, now, ct).ConfigureAwait(false);

                await _statements.EndAsync(session, id, DeploymentState.Completed, reason, now, ct).ConfigureAwait(false);
                await _statements.EventAsync(session, id, now, actor, DeploymentNames.Approved, reason, null, ct).ConfigureAwait(false);
                var figures = JsonSerializer.Serialize(new Dictionary<string, int?> { ["promoted_version"] = challenger, ["archived_version"] = promoted ? archived : null });
                await _statements.EventAsync(session, id, now, actor, DeploymentNames.Completed, reason, figures, ct).ConfigureAwait(false);
                if (promoted || aliased)
                {
                    await RegistryStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                }

                await DeploymentStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment's audit trail, oldest first (empty for an unknown id).</summary>
    public async Task<IReadOnlyList<DeploymentEvent>> GetEventsAsync(long id, CancellationToken cancellationToken = default) =>
        await ReadAsync((session, ct) => _statements.ReadEventsAsync(session, id, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>Alerts after <paramref name="afterId"/> (null: from the first), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<DeploymentAlert>> ListAlertsAsync(long? afterId, int limit = 100, CancellationToken cancellationToken = default)
    {
        ValidateLimit(limit);
        return await ReadAsync((session, ct) => _statements.ReadAlertsAsync(session, afterId ?? 0, limit, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A counter that moves in every transaction that changes a deployment (not for arm counters); compare it to see whether to re-read.</summary>
    public async Task<long> GetChangeTokenAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.WithConnectionAsync(DeploymentStatements.ReadChangeTokenAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores one replica's counters, one transaction for the batch: a row per (deployment, arm, minute, replica),
    /// replaced when the replica sends the same key again (a replica re-sends its whole minute as it grows).
    /// </summary>
    public async Task RecordArmMinutesAsync(string replica, IReadOnlyList<ArmMinute> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        ArgumentNullException.ThrowIfNull(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException(Text($"rows[{i}] is null"), nameof(rows));
            if (string.IsNullOrWhiteSpace(row.Arm) || row.Requests < 0 || row.Errors < 0 || row.Errors > row.Requests || row.LatencyBuckets is null || row.LatencyBuckets.Any(c => c < 0))
            {
                throw new ArgumentException(Text($"rows[{i}] needs an arm, 0 <= errors <= requests and non-negative latency bucket counts"), nameof(rows));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        await WriteAsync(
            async (session, ct) =>
            {
                foreach (var row in rows)
                {
                    await _statements.UpsertArmMinuteAsync(session, replica, row, ct).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every replica's rows of the deployment with minute in [<paramref name="from"/>, <paramref name="to"/>), by minute then arm; the caller merges replicas.</summary>
    public async Task<IReadOnlyList<ArmMinute>> ReadArmMinutesAsync(long deploymentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await ReadAsync((session, ct) => _statements.ReadArmMinutesAsync(session, deploymentId, from, to, ct), cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_database.IsDisposed)
        {
            return;
        }

        await _database.DisposeAsync().ConfigureAwait(false);
        _registry.Dispose();
        _deployments.Dispose();
    }

    private static string NotApprovable(Deployment deployment) => deployment.Mode switch
    {
        DeploymentMode.Canary => Text($"deployment {deployment.Id} is a canary at step {deployment.Step + 1} of {deployment.Steps.Count} ({deployment.Share:P0}): it can be approved at its last step"),
        _ => Text($"deployment {deployment.Id} is in {DeploymentNames.Of(deployment.Mode)} mode, which has no challenger to approve"),
    };

    private static DeploymentConflictException ActiveConflict(string modelName, long active) =>
        new(Text($"model '{modelName}' already has an active deployment ({active}); approve or abort it first")) { DeploymentId = active };

    private static void ValidateLimit(int limit)
    {
        if (limit < 1 || limit > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, Text($"limit must be 1–{MaxLimit}"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private async Task<Deployment?> EndAsync(
        long id, DeploymentState state, string actor, string? reason, Func<SqlSession, Deployment, DateTimeOffset, CancellationToken, Task> record, CancellationToken cancellationToken) =>
        await WriteAsync(
            async (session, ct) =>
            {
                var current = await RequireAsync(session, id, lockRow: true, ct).ConfigureAwait(false);
                if (current.State != DeploymentState.Active)
                {
                    return null;
                }

                var now = _database.Now();
                await _statements.EndAsync(session, id, state, reason, now, ct).ConfigureAwait(false);
                await record(session, current, now, ct).ConfigureAwait(false);
                await DeploymentStatements.BumpChangeTokenAsync(session, ct).ConfigureAwait(false);
                return await RequireAsync(session, id, lockRow: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    private async Task<Deployment> RequireAsync(SqlSession session, long id, bool lockRow, CancellationToken cancellationToken) =>
        await _statements.ReadAsync(session, id, lockRow, cancellationToken).ConfigureAwait(false)
        ?? throw new DeploymentNotFoundException(Text($"no deployment has id {id}")) { DeploymentId = id };

    private async Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(work, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.WriteAsync(
            work,
            // Only the one-active index can be violated: a concurrent start of the same model won.
            e => new DeploymentConflictException("the model already has an active deployment (started concurrently); nothing was changed", e),
            cancellationToken).ConfigureAwait(false);
    }
}
