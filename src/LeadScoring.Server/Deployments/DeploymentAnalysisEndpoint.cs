using LeadScoring.Application.Deployments;
using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// <c>GET /deployments/{id}/analysis</c>: the experiment analysis of a deployment (per-arm figures, differences with
/// fixed and always-valid p-values, sample-ratio check, shadow agreement, recommendation) as
/// <see cref="DeploymentAnalysisDocument"/>, the same document <c>leadscore deploy status --analysis --json</c> prints.
/// Mapped into the "/deployments" group, whose filters (admin key) it inherits.
/// </summary>
public static class DeploymentAnalysisEndpoint
{
    /// <summary>Maps the analysis route on <paramref name="group"/> (the "/deployments" group).</summary>
    public static RouteGroupBuilder MapDeploymentAnalysis(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/{id:long}/analysis", GetAnalysis)
            .WithName("GetDeploymentAnalysis")
            .WithSummary("The experiment analysis of a deployment: per-arm figures, differences, sample-ratio check, shadow agreement and a recommendation");
        return group;
    }

    /// <summary>
    /// Analyses as of now. A shadow pair's challenger score is banded with the bands the scoring service serves with
    /// (<see cref="LeadScoringService.Buckets"/>, parsed once at start-up); the decision thresholds are an
    /// <see cref="ExperimentOptions"/> registered by the host, or the defaults.
    /// </summary>
    internal static async Task<Results<Ok<DeploymentAnalysisDocument>, ProblemHttpResult>> GetAnalysis(
        long id,
        DeploymentStore store,
        FeedbackReader feedback,
        TimeProvider time,
        LeadScoringService scoring,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var analysis = new DeploymentAnalysisUseCase(store, feedback, time, scoring.Buckets);
        try
        {
            var report = await analysis.AnalyzeAsync(id, services.GetService<ExperimentOptions>(), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(DeploymentAnalysisDocument.Of(report));
        }
        catch (DeploymentNotFoundException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: e.Message);
        }
        catch (DeploymentConflictException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to analyse", detail: e.Message);
        }
    }
}
