using LeadScoring.Application.Deployments;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Deployments;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// A staged candidate walked along the online path by <see cref="RetrainingPromotion"/> over real SQLite registry,
/// deployment and retraining stores with a fake clock: shadow for the configured time, canary stepped by the
/// deployment store as the supervisor steps it, approval by a person or by the platform, and the ways it ends early.
/// </summary>
public sealed class RetrainingPromotionTests(TrainedPackages packages) : IClassFixture<TrainedPackages>, IAsyncLifetime, IAsyncDisposable
{
    private const string Model = "leads";

    private static readonly TimeSpan ShadowDuration = TimeSpan.FromDays(7);

    private readonly ApplicationHost _host = new();

    private RetrainingPromotion Promotion => _host.Services.GetRequiredService<RetrainingPromotion>();

    private RetrainingStore Store => _host.Services.GetRequiredService<RetrainingStore>();

    private DeploymentStore Deployments => _host.Services.GetRequiredService<DeploymentStore>();

    private IModelRegistry Registry => _host.Registry;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_staged_candidate_goes_through_shadow_and_canary_waits_for_approval_and_becomes_production()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var run = await StagedRunAsync(candidate: 2);

        // Staged → shadow: a real shadow deployment of v2 beside v1.
        run = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(RetrainingStatus.Shadow, run.Status);
        var shadow = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        Assert.Equal((DeploymentMode.Shadow, DeploymentState.Active, 1, (int?)2), (shadow.Mode, shadow.State, shadow.ChampionVersion, shadow.ChallengerVersion));
        Assert.Equal(shadow.Id, (await Deployments.GetActiveAsync(Model))!.Id);

        // Before the shadow time is up nothing moves.
        _host.Clock.Advance(ShadowDuration - TimeSpan.FromMinutes(1));
        var waited = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(run, waited);
        Assert.Equal(run, await Store.GetAsync(run.Id));
        Assert.Equal(DeploymentState.Active, (await Deployments.GetAsync(shadow.Id))!.State);

        // After it: the shadow is ended with its reason and the canary starts.
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        run = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(RetrainingStatus.Canary, run.Status);
        var endedShadow = (await Deployments.GetAsync(shadow.Id))!;
        Assert.Equal(DeploymentState.Aborted, endedShadow.State);
        Assert.Contains($"retraining run {run.Id}: shadow done", endedShadow.Reason, StringComparison.Ordinal);
        var canary = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        Assert.NotEqual(shadow.Id, canary.Id);
        Assert.Equal((DeploymentMode.Canary, DeploymentState.Active, 0, (int?)2), (canary.Mode, canary.State, canary.Step, canary.ChallengerVersion));
        Assert.True(canary.Steps.Count >= 2);
        // The deployment supervisor must not promote it on its own: approval is the run's step.
        Assert.False(canary.AutoPromote);

        // A canary short of its last step stays a canary, step after step.
        for (var step = 0; step < canary.Steps.Count - 1; step++)
        {
            Assert.Equal(run, await Promotion.AdvanceAsync(run, settings));
            _host.Clock.Advance(TimeSpan.FromHours(1));
            Assert.NotNull(await Deployments.AdvanceStepAsync(canary.Id, step, "deployment-supervisor", "guardrails held", null));
        }

        // At 100 %: a person must approve.
        run = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(RetrainingStatus.AwaitingApproval, run.Status);
        Assert.Equal(run, await Promotion.AdvanceAsync(run, settings));
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);

        run = await _host.Services.GetRequiredService<RetrainingUseCases>().ApproveAsync(run.Id, "alice", "looks good");
        Assert.Equal(RetrainingStatus.Promoted, run.Status);
        Assert.True(run.IsTerminal);
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(ModelStage.Archived, (await Registry.GetVersionAsync(Model, 1))!.Stage);
        Assert.Equal(DeploymentState.Completed, (await Deployments.GetAsync(canary.Id))!.State);

        var events = await Store.GetEventsAsync(run.Id);
        Assert.Equal(["queued", "staged", "shadow", "canary", "awaiting_approval", "promoted"], events.Select(e => e.Step));
        Assert.Equal(("alice", "looks good"), (events[^1].Actor, events[^1].Detail));
    }

    [Fact]
    public async Task Without_required_approval_the_platform_promotes_a_canary_that_reached_100_percent()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: false);
        var run = await ToCanaryAsync(settings);
        var canary = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        for (var step = 0; step < canary.Steps.Count - 1; step++)
        {
            await Deployments.AdvanceStepAsync(canary.Id, step, "deployment-supervisor", "guardrails held", null);
        }

        run = await Promotion.AdvanceAsync(run, settings);

        Assert.Equal(RetrainingStatus.Promoted, run.Status);
        Assert.Contains("approved by the platform", run.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        var completed = (await Deployments.GetAsync(canary.Id))!;
        Assert.Equal(DeploymentState.Completed, completed.State);
        Assert.Equal(["queued", "staged", "shadow", "canary", "promoted"], (await Store.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task A_shadow_this_step_ended_before_its_canary_started_is_resumed_not_read_as_a_persons_abort()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var run = await Promotion.AdvanceAsync(await StagedRunAsync(candidate: 2), settings);
        var shadowId = run.DeploymentId!.Value;
        _host.Clock.Advance(ShadowDuration);
        // The step ended the shadow and the process died before the canary started (the reason is the step's own).
        await Deployments.AbortAsync(shadowId, RetrainingRunner.Actor, $"retraining run {run.Id}: shadow done, moving to canary");

        run = await Promotion.AdvanceAsync(run, settings);

        Assert.Equal(RetrainingStatus.Canary, run.Status);
        var canary = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        Assert.Equal((DeploymentMode.Canary, DeploymentState.Active, (int?)2), (canary.Mode, canary.State, canary.ChallengerVersion));
        Assert.Contains("resumed", run.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(["queued", "staged", "shadow", "canary"], (await Store.GetEventsAsync(run.Id)).Select(e => e.Step));

        // A shadow a person aborted for a reason of their own still ends the run rejected.
        var other = await RejectedAfterPersonAbortsShadowAsync(settings, run);
        Assert.Equal(RetrainingStatus.Rejected, other.Status);
    }

    [Fact]
    public async Task A_rolled_back_canary_ends_the_run_rolled_back_and_production_stays()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var run = await ToCanaryAsync(settings);
        await Deployments.RollBackAsync(run.DeploymentId!.Value, "deployment-supervisor", "error rate above the guardrail", null);

        run = await Promotion.AdvanceAsync(run, settings);

        Assert.Equal(RetrainingStatus.RolledBack, run.Status);
        Assert.True(run.IsTerminal);
        Assert.Contains("error rate above the guardrail", run.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
    }

    [Fact]
    public async Task A_deployment_a_person_aborted_ends_the_run_rejected()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var run = await Promotion.AdvanceAsync(await StagedRunAsync(candidate: 2), settings);
        Assert.Equal(RetrainingStatus.Shadow, run.Status);
        await _host.Services.GetRequiredService<DeploymentUseCases>().AbortAsync(run.DeploymentId!.Value, "bob", "not before the campaign");

        run = await Promotion.AdvanceAsync(run, settings);

        Assert.Equal(RetrainingStatus.Rejected, run.Status);
        Assert.Contains("not before the campaign", run.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Null(await Deployments.GetActiveAsync(Model));
    }

    [Fact]
    public async Task A_candidate_waits_while_another_deployment_runs_on_the_model()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var other = await _host.Services.GetRequiredService<DeploymentUseCases>().StartAsync(new StartDeploymentRequest(Model, 2, DeploymentMode.AB, "bob"));
        var staged = await StagedRunAsync(candidate: 2);

        Assert.Equal(staged, await Promotion.AdvanceAsync(staged, settings));

        await _host.Services.GetRequiredService<DeploymentUseCases>().AbortAsync(other.Id, "bob", null);
        Assert.Equal(RetrainingStatus.Shadow, (await Promotion.AdvanceAsync(staged, settings)).Status);
    }

    [Fact]
    public async Task A_first_model_without_production_is_promoted_directly()
    {
        await RegisterAsync(production: false);
        var run = await StagedRunAsync(candidate: 1);

        run = await Promotion.AdvanceAsync(run, Settings(requireApproval: true));

        Assert.Equal(RetrainingStatus.Promoted, run.Status);
        Assert.Null(run.DeploymentId);
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Empty(await Deployments.ListAsync(Model));
    }

    [Fact]
    public async Task A_canary_approved_through_the_deployment_itself_ends_the_run_promoted()
    {
        await RegisterAsync(production: true);
        var settings = Settings(requireApproval: true);
        var run = await ToCanaryAsync(settings);
        var canary = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        for (var step = 0; step < canary.Steps.Count - 1; step++)
        {
            await Deployments.AdvanceStepAsync(canary.Id, step, "deployment-supervisor", "guardrails held", null);
        }

        run = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(RetrainingStatus.AwaitingApproval, run.Status);
        await _host.Services.GetRequiredService<DeploymentUseCases>().ApproveAsync(canary.Id, "carol", "approved on the deployment page");

        run = await Promotion.AdvanceAsync(run, settings);

        Assert.Equal(RetrainingStatus.Promoted, run.Status);
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
    }

    [Fact]
    public async Task Only_a_run_awaiting_approval_can_be_approved_and_cancelling_a_run_in_shadow_aborts_its_deployment()
    {
        await RegisterAsync(production: true);
        var useCases = _host.Services.GetRequiredService<RetrainingUseCases>();
        var run = await Promotion.AdvanceAsync(await StagedRunAsync(candidate: 2), Settings(requireApproval: true));

        var refused = await Assert.ThrowsAsync<RetrainingStateException>(() => useCases.ApproveAsync(run.Id, "alice", null));
        Assert.Contains("is shadow, not awaiting_approval", refused.Message, StringComparison.Ordinal);

        var cancelled = await useCases.CancelAsync(run.Id, "alice", "wrong season");

        Assert.Equal((RetrainingStatus.Cancelled, "wrong season"), (cancelled.Status, cancelled.StatusDetail));
        var shadow = (await Deployments.GetAsync(run.DeploymentId!.Value))!;
        Assert.Equal(DeploymentState.Aborted, shadow.State);
        Assert.Equal($"retraining run {run.Id} cancelled", shadow.Reason);
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
        await Assert.ThrowsAsync<RetrainingStateException>(() => useCases.CancelAsync(run.Id, "alice", null));
    }

    private static RetrainingPromotionSettings Settings(bool requireApproval) => new() { ShadowDuration = ShadowDuration, RequireApproval = requireApproval };

    private async Task<RetrainingRun> ToCanaryAsync(RetrainingPromotionSettings settings)
    {
        var run = await Promotion.AdvanceAsync(await StagedRunAsync(candidate: 2), settings);
        _host.Clock.Advance(ShadowDuration);
        run = await Promotion.AdvanceAsync(run, settings);
        Assert.Equal(RetrainingStatus.Canary, run.Status);
        return run;
    }

    // Ends the run's canary, then walks a second candidate's run into shadow and has a person abort that shadow.
    private async Task<RetrainingRun> RejectedAfterPersonAbortsShadowAsync(RetrainingPromotionSettings settings, RetrainingRun first)
    {
        await _host.Services.GetRequiredService<RetrainingUseCases>().CancelAsync(first.Id, "alice", "done with this one");
        var run = await Promotion.AdvanceAsync(await StagedRunAsync(candidate: 2), settings);
        await Deployments.AbortAsync(run.DeploymentId!.Value, "api:bob", "not this week");
        return await Promotion.AdvanceAsync(run, settings);
    }

    private async Task RegisterAsync(bool production)
    {
        var registration = _host.Services.GetRequiredService<ModelRegistration>();
        await registration.RegisterAsync(new RegistrationRequest(Model, packages.Champion, "system:test"));
        await registration.RegisterAsync(new RegistrationRequest(Model, packages.Challenger, "system:test"));
        if (production)
        {
            await Registry.TransitionAsync(Model, 1, ModelStage.Production, "system:test", null);
        }
    }

    // A run as the runner leaves it after the gate: the candidate registered and in Staging.
    private async Task<RetrainingRun> StagedRunAsync(int candidate)
    {
        var run = await Store.CreateAsync(new NewRetrainingRun(Model, RetrainingTrigger.Manual, null, "alice", null, RetrainingRunOptions.From(new RetrainingSettings()).ToJson()));
        await Registry.TransitionAsync(Model, candidate, ModelStage.Staging, RetrainingRunner.Actor, null);
        return await Store.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Staged, "passed the gate", CandidateVersion: candidate), RetrainingRunner.Actor);
    }
}
