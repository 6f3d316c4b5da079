using System.Globalization;
using System.Text.Json;
using LeadScoring.Core.Deployments;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Deployments;

/// <summary>What one evaluation of a deployment did.</summary>
public enum EvaluationAction
{
    /// <summary>Nothing to do (shadow, single, a step not yet due, or someone else changed it first).</summary>
    None,

    /// <summary>A guardrail breached: the deployment was rolled back.</summary>
    RolledBack,

    /// <summary>A canary step was due: the next step started.</summary>
    Advanced,

    /// <summary>An auto-promoting canary at its last step was approved: the challenger is in Production.</summary>
    Promoted,
}

/// <summary>
/// Judges one active deployment once (the supervisor calls it while holding the lease): an ab or canary deployment's
/// window against the guardrails, rolling it back on a breach (the store writes the event and the critical alert in
/// the same transaction); otherwise a canary whose step is due advances, and one at its last step with auto-promote
/// is approved. Shadow deployments are never judged: a shadow answers no client, so it cannot hurt one.
/// </summary>
public sealed partial class DeploymentEvaluator(
    DeploymentStore store,
    IModelRegistry registry,
    ArmWindowReader windows,
    Metrics.DeploymentMetrics metrics,
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    ILogger<DeploymentEvaluator> logger)
{
    /// <summary>The actor the supervisor's changes are recorded under.</summary>
    public const string Actor = "supervisor";

    private static readonly JsonSerializerOptions FiguresJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Evaluates <paramref name="deployment"/> now.</summary>
    public async Task<EvaluationAction> EvaluateAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.State != DeploymentState.Active || deployment.Mode is not (DeploymentMode.AB or DeploymentMode.Canary))
        {
            return EvaluationAction.None;
        }

        // Replicas serve only a deployment planned against today's Production version; nor is any other judged,
        // stepped or promoted (its figures would compare the wrong models).
        if ((await registry.GetProductionAsync(deployment.ModelName, cancellationToken).ConfigureAwait(false))?.Version != deployment.ChampionVersion)
        {
            LogStaleChampion(logger, deployment.Id, deployment.ChampionVersion);
            return EvaluationAction.None;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var to = MinuteOf(now).AddMinutes(1);
        var window = await windows.ReadAsync(deployment, MinuteOf(now - settings.GuardrailWindow), to, now, cancellationToken).ConfigureAwait(false);
        var verdict = GuardrailPolicy.Evaluate(window.Champion, window.Challenger, settings.ToGuardrails());
        if (verdict.Breached)
        {
            var rolledBack = await store.RollBackAsync(deployment.Id, Actor, Shorten(verdict.Reason), Figures(window, verdict.Rule), cancellationToken).ConfigureAwait(false);
            if (rolledBack is null)
            {
                return EvaluationAction.None;
            }

            LogRolledBack(logger, deployment.Id, verdict.Rule!, verdict.Reason);
            metrics.RolledBack(verdict.Rule!);
            return EvaluationAction.RolledBack;
        }

        return deployment.Mode == DeploymentMode.Canary ? await StepAsync(deployment, window, verdict, now, cancellationToken).ConfigureAwait(false) : EvaluationAction.None;
    }

    private async Task<EvaluationAction> StepAsync(Deployment deployment, DeploymentWindow window, GuardrailVerdict verdict, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var steps = deployment.Steps.Select(s => new CanaryStep(s.Share, s.Duration)).ToList();
        if (deployment.Step == steps.Count - 1)
        {
            if (!deployment.AutoPromote)
            {
                return EvaluationAction.None;
            }

            var reason = Text($"auto-promote: the last step ({deployment.Share:P0}) held its guardrails. {verdict.Reason}");
            await store.ApproveAsync(deployment.Id, Actor, Shorten(reason), cancellationToken).ConfigureAwait(false);
            LogPromoted(logger, deployment.Id, deployment.ChallengerVersion ?? 0);
            return EvaluationAction.Promoted;
        }

        // Held since the step's start: any breach during the step would have rolled the deployment back.
        if (!CanaryPlan.IsDue(steps, deployment.Step, deployment.StepStartedAt, deployment.StepStartedAt, now))
        {
            return EvaluationAction.None;
        }

        var next = steps[deployment.Step + 1].Share;
        var why = Text($"step {deployment.Step + 1} ({deployment.Share:P0}) ran {steps[deployment.Step].Duration} with its guardrails held; now {next:P0}. {verdict.Reason}");
        var advanced = await store.AdvanceStepAsync(deployment.Id, deployment.Step, Actor, Shorten(why), Figures(window, null), cancellationToken).ConfigureAwait(false);
        if (advanced is null)
        {
            return EvaluationAction.None;
        }

        LogAdvanced(logger, deployment.Id, advanced.Step + 1, advanced.Share);
        return EvaluationAction.Advanced;
    }

    private static string Figures(DeploymentWindow window, string? rule) => JsonSerializer.Serialize(window.ToFigures(rule), FiguresJson);

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    // The store bounds reasons; the figures JSON carries everything a long sentence would.
    private static string Shorten(string reason) => reason.Length <= 1000 ? reason : reason[..997] + "...";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Id} was planned against champion v{Champion}, which is no longer in Production: not evaluated (abort it, or start a new one)")]
    private static partial void LogStaleChampion(ILogger logger, long id, int champion);

    [LoggerMessage(Level = LogLevel.Critical, Message = "deployment {Id} rolled back ({Rule}): {Reason}")]
    private static partial void LogRolledBack(ILogger logger, long id, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "deployment {Id} advanced to step {Step} (share {Share})")]
    private static partial void LogAdvanced(ILogger logger, long id, int step, double share);

    [LoggerMessage(Level = LogLevel.Information, Message = "deployment {Id} auto-promoted v{Version} to Production")]
    private static partial void LogPromoted(ILogger logger, long id, int version);
}
