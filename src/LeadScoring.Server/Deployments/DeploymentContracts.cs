using System.Text.Json;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Start a deployment of <c>model</c>: mode single (end the active deployment: the champion answers every lead),
/// shadow, ab or canary; <c>challenger_version</c> is required except in single mode; <c>share</c> (ab, default 0.1);
/// <c>steps</c> (canary, default 10 % for 1 day, 50 % for 2 days, then 100 %), each <c>{"share", "duration"}</c> with
/// a duration such as "1.00:00:00" (null on the last step); <c>auto_promote</c> (canary: approve at the last step).
/// </summary>
public sealed record StartDeploymentBody(
    string Model, string Mode, int? ChallengerVersion, double? Share, IReadOnlyList<CanaryStepBody>? Steps, bool? AutoPromote, string? Reason);

/// <summary>One canary step: the challenger's share, and how long it runs (e.g. "1.00:00:00"; null on the last step).</summary>
public sealed record CanaryStepBody(double Share, string? Duration);

/// <summary>A canary step as stored.</summary>
public sealed record CanaryStepResponse(double Share, TimeSpan? Duration);

/// <summary>A deployment (its salt is not shown: it would let a client predict its arm).</summary>
public sealed record DeploymentResponse(
    long Id,
    string Model,
    string Mode,
    string State,
    int ChampionVersion,
    int? ChallengerVersion,
    double Share,
    IReadOnlyList<CanaryStepResponse> Steps,
    int Step,
    DateTimeOffset StepStartedAt,
    bool AutoPromote,
    string? Reason,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt)
{
    internal static DeploymentResponse From(Deployment d) => new(
        d.Id,
        d.ModelName,
        DeploymentNames.Of(d.Mode),
        DeploymentNames.Of(d.State),
        d.ChampionVersion,
        d.ChallengerVersion,
        d.Share,
        d.Steps.Select(s => new CanaryStepResponse(s.Share, s.Duration)).ToArray(),
        d.Step,
        d.StepStartedAt,
        d.AutoPromote,
        d.Reason,
        d.CreatedAt,
        d.CreatedBy,
        d.UpdatedAt,
        d.EndedAt);
}

/// <summary>One entry of a deployment's audit trail; <c>figures</c> holds what was measured (a rollback's or a step's window).</summary>
public sealed record DeploymentEventResponse(long Id, DateTimeOffset At, string Actor, string Action, string? Reason, JsonElement? Figures)
{
    internal static DeploymentEventResponse From(DeploymentEvent e)
    {
        JsonElement? figures = null;
        if (e.FiguresJson is not null)
        {
            using var document = JsonDocument.Parse(e.FiguresJson);
            figures = document.RootElement.Clone();
        }

        return new(e.Id, e.At, e.Actor, e.Action, e.Reason, figures);
    }
}

/// <summary>
/// A shadow deployment's counts: what every replica's arm counters recorded for the shadow arm since the deployment
/// started (<c>requests</c>, <c>errors</c>: failed or timed out), and what this replica's shadow scorer did since it started.
/// </summary>
public sealed record ShadowCountsResponse(long Requests, long Errors, ShadowReplicaCounts Replica);

/// <summary>This replica's shadow scorer since it started.</summary>
public sealed record ShadowReplicaCounts(long Completed, long Failed, long TimedOut, long Dropped, long PairsNotLogged, long Shed, int QueueDepth)
{
    internal static ShadowReplicaCounts From(ShadowScorer scorer)
    {
        var c = scorer.Counts;
        return new(c.Completed, c.Failed, c.TimedOut, c.Dropped, c.PairsNotLogged, c.Shed, scorer.QueueDepth);
    }
}

/// <summary>A deployment with its audit trail (oldest first) and, for a shadow deployment, its counts.</summary>
public sealed record DeploymentDetailResponse(DeploymentResponse Deployment, IReadOnlyList<DeploymentEventResponse> Events, ShadowCountsResponse? Shadow);
