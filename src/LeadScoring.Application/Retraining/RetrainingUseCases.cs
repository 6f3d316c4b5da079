using System.Globalization;
using LeadScoring.Application.Deployments;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// What a person does with retraining, shared by the server's routes and the CLI: request a run, read runs, approve a
/// candidate waiting at 100 % canary, cancel a run. A model with an unfinished run refuses another
/// (<see cref="RetrainingConflictException"/>); an unknown run is a <see cref="RetrainingNotFoundException"/>; a
/// request in the wrong state a <see cref="RetrainingStateException"/>.
/// </summary>
public sealed class RetrainingUseCases(RetrainingStore store, RetrainingPromotion promotion, DeploymentUseCases deployments)
{
    /// <summary>Queues a manual run with the configured settings (a request's own seed, trials or data file win).</summary>
    public Task<RetrainingRun> RequestAsync(RetrainingRequest request, RetrainingSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (request.Trials is < 1 or > 1_000)
        {
            throw new ArgumentException(Text($"trials must be between 1 and 1000 (got {request.Trials})"), nameof(request));
        }

        var options = RetrainingRunOptions.From(settings, request.DataFile, request.SchemaFile, request.Seed, request.Trials);
        return store.CreateAsync(new NewRetrainingRun(request.ModelName, RetrainingTrigger.Manual, request.DataFile is null ? "requested" : "from " + Path.GetFileName(request.DataFile), request.Actor, request.Reason, options.ToJson()), cancellationToken);
    }

    /// <summary>A run with its trials and events, or null.</summary>
    public async Task<RetrainingRunDetail?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var run = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var trials = await store.GetTrialsAsync(id, cancellationToken).ConfigureAwait(false);
        var events = await store.GetEventsAsync(id, cancellationToken).ConfigureAwait(false);
        return new RetrainingRunDetail(run, trials, events);
    }

    /// <summary>A page of runs, newest first.</summary>
    public Task<RetrainingPage> ListAsync(RetrainingQuery query, CancellationToken cancellationToken = default) => store.ListAsync(query, cancellationToken);

    /// <summary>Approves a run awaiting approval: its candidate becomes Production.</summary>
    public Task<RetrainingRun> ApproveAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default) =>
        promotion.ApproveAsync(id, actor, reason, cancellationToken);

    /// <summary>Cancels an unfinished run; a deployment it started is aborted with it (traffic returns to the champion).</summary>
    public async Task<RetrainingRun> CancelAsync(long id, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        var run = await store.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new RetrainingNotFoundException(Text($"no retraining run {id}"));
        if (RetrainingNames.IsTerminal(run.Status))
        {
            throw new RetrainingStateException(Text($"run {id} already ended ({RetrainingNames.Of(run.Status)}): there is nothing to cancel"));
        }

        if (run.DeploymentId is long deploymentId)
        {
            try
            {
                await deployments.AbortAsync(deploymentId, actor, Text($"retraining run {id} cancelled"), cancellationToken).ConfigureAwait(false);
            }
            catch (DeploymentConflictException)
            {
                // It ended already; the run's cancellation stands on its own.
            }
        }

        return await store.AdvanceAsync(id, new RetrainingRunUpdate(RetrainingStatus.Cancelled, reason ?? Text($"cancelled by {actor}")), actor, reason, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A person's request for a run.</summary>
/// <param name="ModelName">The registered model.</param>
/// <param name="Actor">Who asks.</param>
/// <param name="Reason">Why, for the run's record.</param>
/// <param name="Seed">A seed of the request's own; null: configured.</param>
/// <param name="Trials">A trial count of the request's own; null: configured.</param>
/// <param name="DataFile">Train on this file instead of the logs.</param>
/// <param name="SchemaFile">The file's schema; null: the Production model's.</param>
public sealed record RetrainingRequest(string ModelName, string Actor, string? Reason = null, int? Seed = null, int? Trials = null, string? DataFile = null, string? SchemaFile = null);

/// <summary>A run with its stored trials (by number) and its events (oldest first).</summary>
public sealed record RetrainingRunDetail(RetrainingRun Run, IReadOnlyList<RetrainingTrial> Trials, IReadOnlyList<RetrainingEvent> Events);
