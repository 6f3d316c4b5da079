using LeadScoring.Storage.Deployments;

namespace LeadScoring.Application.Deployments;

/// <summary>
/// A deployment a person asks for (server or CLI). <paramref name="ChampionVersion"/> null: the model's Production
/// version (given, it must be that version). <paramref name="Share"/> null in ab mode: 10 %.
/// <paramref name="Steps"/> null in canary mode: 10 % for a day, 50 % for two days, then 100 %.
/// </summary>
public sealed record StartDeploymentRequest(
    string ModelName,
    int? ChallengerVersion,
    DeploymentMode Mode,
    string Actor,
    int? ChampionVersion = null,
    double? Share = null,
    IReadOnlyList<CanaryStepSpec>? Steps = null,
    bool AutoPromote = false,
    string? Reason = null);

/// <summary>A deployment with its audit trail, oldest event first.</summary>
public sealed record DeploymentStatus(Deployment Deployment, IReadOnlyList<DeploymentEvent> Events);
