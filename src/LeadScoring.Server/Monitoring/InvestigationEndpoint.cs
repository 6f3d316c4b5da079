using System.Globalization;
using LeadScoring.Application.Monitoring;
using LeadScoring.Application.Monitoring.Investigation;
using LeadScoring.Server.Scoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Server.Monitoring;

/// <summary>GET /monitoring/investigation: the seed's checklist for "the scores no longer help us prioritise leads", on the real data.</summary>
public static class InvestigationEndpoint
{
    /// <summary>Maps the route on the monitoring group (admin key, like the other monitoring routes).</summary>
    public static RouteGroupBuilder MapInvestigation(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/investigation", Investigate)
            .WithSummary("Investigate the served model: findings with their evidence, the likely root cause and the recommended action")
            .WithDescription("model: the model (default: the only one in Production); days: the period up to now (1–90, default 14).");
        return group;
    }

    internal static async Task<Results<Ok<InvestigationDocument>, ProblemHttpResult>> Investigate(
        IModelRegistry registry,
        MonitoringStore monitoring,
        FeedbackReader feedback,
        DeploymentStore deployments,
        TimeProvider time,
        MonitoringRunSettings settings,
        LeadScoringService scoring,
        [FromQuery(Name = "model")] string? model,
        [FromQuery(Name = "days")] string? days,
        CancellationToken cancellationToken)
    {
        var period = 14;
        if (days is not null && !int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out period))
        {
            throw MonitoringQuery.Invalid("days", $"must be a whole number of days from 1 to {InvestigationRequest.MaxDays} (got '{days}')");
        }

        var investigation = new InvestigationUseCase(registry, monitoring, feedback, deployments, time, settings, scoring.Buckets);
        try
        {
            return TypedResults.Ok(await investigation.InvestigateAsync(new InvestigationRequest(model, period), cancellationToken: cancellationToken));
        }
        catch (ArgumentException e) when (e.ParamName is "model" or "days")
        {
            throw MonitoringQuery.Invalid(e.ParamName, e.Message.Split(" (Parameter", 2)[0].Replace(e.ParamName + " ", "", StringComparison.Ordinal));
        }
        catch (InvestigationTargetException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: e.Message);
        }
    }
}
