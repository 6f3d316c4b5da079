namespace LeadScoring.Storage.Deployments;

/// <summary>How traffic reaches the champion and the challenger (wire names in <see cref="DeploymentNames"/>).</summary>
public enum DeploymentMode
{
    /// <summary>The champion serves every lead.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The mode's name in the shared design and on the wire.")]
    Single,

    /// <summary>The challenger also scores every lead, off the request path; its share of served leads is 0.</summary>
    Shadow,

    /// <summary>A fixed share of leads is served by the challenger.</summary>
    AB,

    /// <summary>A stepped rollout: the challenger's share grows step by step.</summary>
    Canary,
}

/// <summary>Where a deployment is in its life (wire names in <see cref="DeploymentNames"/>).</summary>
public enum DeploymentState
{
    /// <summary>Serving; at most one per model.</summary>
    Active,

    /// <summary>Approved: the challenger was promoted to Production.</summary>
    Completed,

    /// <summary>A guardrail breached: traffic went back to the champion.</summary>
    RolledBack,

    /// <summary>A person stopped it.</summary>
    Aborted,
}

/// <summary>One canary step: the challenger's share, and how long the step lasts (null for the last, 100 % step).</summary>
public sealed record CanaryStepSpec(double Share, TimeSpan? Duration);

/// <summary>
/// A deployment to start. <paramref name="Share"/> is read for <see cref="DeploymentMode.AB"/> only (canary shares
/// come from the steps; shadow and single serve no lead with the challenger); <paramref name="Steps"/> for
/// <see cref="DeploymentMode.Canary"/> only (null: <see cref="DeploymentNames.DefaultCanarySteps"/>).
/// <paramref name="Salt"/> (hex, from the caller's random source) makes the deployment's sticky assignment.
/// </summary>
public sealed record NewDeployment(
    string ModelName,
    int ChampionVersion,
    int? ChallengerVersion,
    DeploymentMode Mode,
    double Share,
    IReadOnlyList<CanaryStepSpec>? Steps,
    bool AutoPromote,
    string Salt);

/// <summary>
/// A deployment as stored. <paramref name="Share"/> is the challenger's current share: ab the configured one,
/// canary the current step's, shadow and single 0. <paramref name="Steps"/> is empty unless canary;
/// <paramref name="Step"/> indexes it (0 otherwise).
/// </summary>
public sealed record Deployment(
    long Id,
    string ModelName,
    int ChampionVersion,
    int? ChallengerVersion,
    DeploymentMode Mode,
    double Share,
    IReadOnlyList<CanaryStepSpec> Steps,
    int Step,
    DateTimeOffset StepStartedAt,
    bool AutoPromote,
    string Salt,
    DeploymentState State,
    string? Reason,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>True for a canary at its last step (100 %), or an ab or shadow deployment: what approval needs besides being active.</summary>
    public bool IsApprovable => Mode switch
    {
        DeploymentMode.Canary => Step == Steps.Count - 1,
        DeploymentMode.AB or DeploymentMode.Shadow => true,
        _ => false,
    };

    /// <summary>Value equality, steps compared element by element (a record would compare the list's reference).</summary>
    public bool Equals(Deployment? other) =>
        other is not null
        && (Id, ModelName, ChampionVersion, ChallengerVersion, Mode, Share, Step, StepStartedAt, AutoPromote, Salt, State, Reason, CreatedAt, CreatedBy, UpdatedAt, EndedAt)
            == (other.Id, other.ModelName, other.ChampionVersion, other.ChallengerVersion, other.Mode, other.Share, other.Step, other.StepStartedAt, other.AutoPromote, other.Salt, other.State, other.Reason, other.CreatedAt, other.CreatedBy, other.UpdatedAt, other.EndedAt)
        && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => HashCode.Combine(Id, State, Step, UpdatedAt);
}

/// <summary>
/// One entry of a deployment's audit trail. <paramref name="Action"/>: started, step_advanced, rolled_back, aborted,
/// approved, completed (<see cref="DeploymentNames"/>' constants).
/// </summary>
public sealed record DeploymentEvent(
    long Id, long DeploymentId, DateTimeOffset At, string Actor, string Action, string? Reason, string? FiguresJson);

/// <summary>
/// An event for alerting, written in the transaction that caused it (a rollback writes a critical
/// "deployment_rolled_back"); <paramref name="DeliveredAt"/> is for the delivery built later.
/// </summary>
public sealed record DeploymentAlert(
    long Id, long DeploymentId, DateTimeOffset At, string Level, string Kind, string Summary, string? FiguresJson, DateTimeOffset? DeliveredAt);

/// <summary>
/// One replica's counters for one arm of a deployment in one minute: requests, errors, and the latency histogram's
/// bucket counts (mergeable across replicas and minutes). <paramref name="Minute"/> is the minute's start.
/// </summary>
public sealed record ArmMinute(long DeploymentId, string Arm, DateTimeOffset Minute, long Requests, long Errors, long[] LatencyBuckets);
