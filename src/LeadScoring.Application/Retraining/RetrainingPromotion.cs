using System.Globalization;
using LeadScoring.Application.Deployments;
using LeadScoring.Core.Deployments;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Walks a candidate that passed the gate along the online-testing path, one look at a time (the server's supervisor
/// looks every interval): Staged → shadow deployment for the configured days → canary (the deployment supervisor
/// steps it and rolls it back on a guardrail breach) → awaiting a person's approval at 100 % (or approved by the
/// platform when approval is not required) → Production. The deployments do the serving and keep their own audit
/// trail; this records each step on the run. A rolled-back canary ends the run as rolled_back; a deployment a person
/// aborted, or a shadow whose analysis says the candidate is significantly worse, as rejected.
/// </summary>
public sealed class RetrainingPromotion(
    RetrainingStore store,
    DeploymentStore deployments,
    DeploymentUseCases deploymentUseCases,
    DeploymentAnalysisUseCase analysis,
    IModelRegistry registry,
    TimeProvider time)
{
    /// <summary>Looks at <paramref name="run"/> once and takes the step that is due; returns the run as it is afterwards.</summary>
    public async Task<RetrainingRun> AdvanceAsync(RetrainingRun run, RetrainingPromotionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(settings);
        return run.Status switch
        {
            RetrainingStatus.Staged => await StartShadowAsync(run, settings, cancellationToken).ConfigureAwait(false),
            RetrainingStatus.Shadow => await FollowShadowAsync(run, settings, cancellationToken).ConfigureAwait(false),
            RetrainingStatus.Canary or RetrainingStatus.AwaitingApproval => await FollowCanaryAsync(run, settings, cancellationToken).ConfigureAwait(false),
            _ => run,
        };
    }

    /// <summary>A person approves a run awaiting approval: its canary is approved, so the candidate becomes Production.</summary>
    public async Task<RetrainingRun> ApproveAsync(long runId, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        var run = await store.GetAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new RetrainingNotFoundException(Text($"no retraining run {runId}"));
        if (run.Status != RetrainingStatus.AwaitingApproval || run.DeploymentId is not long deploymentId)
        {
            throw new RetrainingStateException(Text($"run {runId} is {RetrainingNames.Of(run.Status)}, not awaiting_approval: there is nothing to approve"));
        }

        await deploymentUseCases.ApproveAsync(deploymentId, actor, reason ?? Text($"retraining run {runId} approved"), cancellationToken).ConfigureAwait(false);
        return await store.AdvanceAsync(
            runId,
            new RetrainingRunUpdate(RetrainingStatus.Promoted, Text($"{run.ModelName} v{run.CandidateVersion} is Production (approved by {actor})")),
            actor,
            reason ?? "approved",
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<RetrainingRun> StartShadowAsync(RetrainingRun run, RetrainingPromotionSettings settings, CancellationToken cancellationToken)
    {
        var candidate = run.CandidateVersion ?? throw new InvalidOperationException(Text($"run {run.Id} is staged without a candidate version"));
        var production = await registry.GetProductionAsync(run.ModelName, cancellationToken).ConfigureAwait(false);
        if (production is null)
        {
            // A first model: there is nothing to shadow or to split traffic with.
            await registry.TransitionAsync(run.ModelName, candidate, ModelStage.Production, RetrainingRunner.Actor, Text($"retraining run {run.Id}: the first Production version"), cancellationToken).ConfigureAwait(false);
            return await AdvanceAsync(run, RetrainingStatus.Promoted, Text($"{run.ModelName} v{candidate} is the first Production version"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (await deployments.GetActiveAsync(run.ModelName, cancellationToken).ConfigureAwait(false) is not null)
        {
            // Another experiment is running on the model: the candidate waits its turn (checked again next time).
            return run;
        }

        var shadow = await deploymentUseCases.StartAsync(
            new StartDeploymentRequest(run.ModelName, candidate, DeploymentMode.Shadow, RetrainingRunner.Actor, Reason: Text($"retraining run {run.Id}: shadow for {settings.ShadowDuration.TotalDays:0.##} days")),
            cancellationToken).ConfigureAwait(false);
        return await AdvanceAsync(run, RetrainingStatus.Shadow, Text($"deployment {shadow.Id}: v{candidate} scores every lead in shadow beside v{shadow.ChampionVersion} until {(shadow.CreatedAt + settings.ShadowDuration):yyyy-MM-dd HH:mm}Z"), shadow.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RetrainingRun> FollowShadowAsync(RetrainingRun run, RetrainingPromotionSettings settings, CancellationToken cancellationToken)
    {
        var shadow = await RequireDeploymentAsync(run, cancellationToken).ConfigureAwait(false);
        if (shadow.State == DeploymentState.Aborted && shadow.Reason == ShadowDone(run))
        {
            // This supervisor ended the shadow and stopped before the canary started: finish the step.
            return await StartCanaryAsync(run, shadow, "resumed", cancellationToken).ConfigureAwait(false);
        }

        if (shadow.State != DeploymentState.Active)
        {
            return await EndedAsync(run, shadow, cancellationToken).ConfigureAwait(false);
        }

        if (time.GetUtcNow() - shadow.CreatedAt < settings.ShadowDuration)
        {
            return run;
        }

        var report = await analysis.AnalyzeAsync(shadow.Id, null, cancellationToken).ConfigureAwait(false);
        var recommendation = report.Analysis.Recommendation;
        if (recommendation.Kind == RecommendationKind.Stop)
        {
            await deploymentUseCases.AbortAsync(shadow.Id, RetrainingRunner.Actor, "shadow analysis: " + recommendation.Reason, cancellationToken).ConfigureAwait(false);
            return await AdvanceAsync(run, RetrainingStatus.Rejected, "the shadow analysis stopped the candidate: " + recommendation.Reason, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await StartCanaryAsync(run, shadow, Text($"{recommendation.Name}: {recommendation.Reason}"), cancellationToken).ConfigureAwait(false);
    }

    // The shadow served no client: it ends (with a reason that marks it as this step's, so a crash before the canary
    // starts is resumed rather than read as a person's abort), the canary starts, and the run follows the canary.
    private async Task<RetrainingRun> StartCanaryAsync(RetrainingRun run, Deployment shadow, string analysis, CancellationToken cancellationToken)
    {
        if (shadow.State == DeploymentState.Active)
        {
            await deploymentUseCases.AbortAsync(shadow.Id, RetrainingRunner.Actor, ShadowDone(run), cancellationToken).ConfigureAwait(false);
        }

        var canary = await deploymentUseCases.StartAsync(
            new StartDeploymentRequest(run.ModelName, shadow.ChallengerVersion, DeploymentMode.Canary, RetrainingRunner.Actor, Reason: Text($"retraining run {run.Id}: canary after its shadow deployment {shadow.Id}")),
            cancellationToken).ConfigureAwait(false);
        var steps = string.Join(" → ", canary.Steps.Select(s => s.Share.ToString("0%", CultureInfo.InvariantCulture)));
        return await AdvanceAsync(run, RetrainingStatus.Canary, Text($"shadow deployment {shadow.Id} ended after {(time.GetUtcNow() - shadow.CreatedAt).TotalDays:0.#} days ({analysis}); canary deployment {canary.Id} started ({steps})"), canary.Id, cancellationToken).ConfigureAwait(false);
    }

    private static string ShadowDone(RetrainingRun run) => Text($"retraining run {run.Id}: shadow done, moving to canary");

    private async Task<RetrainingRun> FollowCanaryAsync(RetrainingRun run, RetrainingPromotionSettings settings, CancellationToken cancellationToken)
    {
        var canary = await RequireDeploymentAsync(run, cancellationToken).ConfigureAwait(false);
        if (canary.State != DeploymentState.Active)
        {
            return await EndedAsync(run, canary, cancellationToken).ConfigureAwait(false);
        }

        if (run.Status == RetrainingStatus.AwaitingApproval || !canary.IsApprovable)
        {
            return run;
        }

        if (settings.RequireApproval)
        {
            return await AdvanceAsync(run, RetrainingStatus.AwaitingApproval, Text($"canary deployment {canary.Id} serves 100 % with v{canary.ChallengerVersion}; approve run {run.Id} to make it Production"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await deploymentUseCases.ApproveAsync(canary.Id, RetrainingRunner.Actor, Text($"retraining run {run.Id}: canary reached 100 % without a breach"), cancellationToken).ConfigureAwait(false);
        return await AdvanceAsync(run, RetrainingStatus.Promoted, Text($"{run.ModelName} v{canary.ChallengerVersion} is Production (canary {canary.Id} approved by the platform)"), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // A deployment of the run ended by someone else: how it ended decides how the run ends.
    private Task<RetrainingRun> EndedAsync(RetrainingRun run, Deployment deployment, CancellationToken cancellationToken) => deployment.State switch
    {
        DeploymentState.Completed => AdvanceAsync(run, RetrainingStatus.Promoted, Text($"{run.ModelName} v{deployment.ChallengerVersion} is Production (deployment {deployment.Id} approved)"), cancellationToken: cancellationToken),
        DeploymentState.RolledBack => AdvanceAsync(run, RetrainingStatus.RolledBack, Text($"deployment {deployment.Id} was rolled back: {deployment.Reason}"), cancellationToken: cancellationToken),
        _ => AdvanceAsync(run, RetrainingStatus.Rejected, Text($"deployment {deployment.Id} was aborted: {deployment.Reason}"), cancellationToken: cancellationToken),
    };

    private async Task<Deployment> RequireDeploymentAsync(RetrainingRun run, CancellationToken cancellationToken) =>
        run.DeploymentId is long id && await deployments.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } deployment
            ? deployment
            : throw new InvalidOperationException(Text($"run {run.Id} is {RetrainingNames.Of(run.Status)} without its deployment"));

    private Task<RetrainingRun> AdvanceAsync(RetrainingRun run, RetrainingStatus status, string detail, long? deploymentId = null, CancellationToken cancellationToken = default) =>
        store.AdvanceAsync(run.Id, new RetrainingRunUpdate(status, detail, DeploymentId: deploymentId), RetrainingRunner.Actor, detail, cancellationToken: cancellationToken);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
