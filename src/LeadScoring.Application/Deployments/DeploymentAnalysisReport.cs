using LeadScoring.Core.Deployments;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Application.Deployments;

/// <summary>One look at a deployment's experiment: the deployment, what was read, and the analysis.</summary>
/// <param name="Deployment">The deployment as stored at the look.</param>
/// <param name="Analysis">Per-arm figures, differences, sample-ratio check, shadow agreement, recommendation.</param>
/// <param name="From">Start of the analysed window: the deployment's start (a canary: its current step's start).</param>
/// <param name="To">End of the window: when the deployment ended, or now while it is active.</param>
/// <param name="KnownBy">Outcomes are as the store knew them at this time (the look's now).</param>
/// <param name="ChallengerShare">The configured challenger share the split is checked against (0 for shadow).</param>
public sealed record DeploymentAnalysisReport(
    Deployment Deployment,
    ExperimentAnalysis Analysis,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset KnownBy,
    double ChallengerShare);
