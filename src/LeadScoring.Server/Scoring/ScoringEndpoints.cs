using System.Globalization;
using LeadScoring.Server.Predictions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Server.Scoring;

/// <summary>POST /score-lead and POST /score-leads: score leads with the Production model, or a challenger under an A/B or canary deployment (through <see cref="LeadScoringService"/>).</summary>
public static class ScoringEndpoints
{
    public static RouteGroupBuilder MapScoring(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Scoring");
        group.MapPost("/score-lead", ScoreLead)
            .Accepts<ScoreLeadRequest>("application/json")
            .WithSummary("Score one lead")
            .WithDescription("Returns the calibrated conversion probability, its band, the model version that scored it and its arm (champion, or challenger when a deployment gives this lead to a version under test). Every schema feature must be present (null when unknown); GET /model lists them. A 200 means the score is committed to the prediction log; a 503 with Retry-After means it could not be (nothing was recorded).");
        group.MapPost("/score-leads", ScoreLeads)
            .Accepts<ScoreLeadRequest[]>("application/json")
            .WithSummary("Score a batch of leads")
            .WithDescription("Takes a JSON array of leads (at most LeadScoring:Scoring:MaxBatchSize) and returns their scores in the same order. One invalid lead rejects the whole batch, with every error listed. A 200 means every lead of the batch is committed to the prediction log.");
        return group;
    }

    internal static async Task<Results<Ok<ScoreLeadResponse>, ValidationProblem, ProblemHttpResult>> ScoreLead(
        HttpContext context, LeadScoringService scoring, CancellationToken cancellationToken)
    {
        var outcome = await scoring.ScoreLeadAsync(context.Request, cancellationToken);
        switch (outcome.Status)
        {
            case ScoringStatus.NoModel:
                return NoModel();
            case ScoringStatus.Invalid:
                return Invalid(outcome.Errors!);
            case ScoringStatus.LogRefused:
                return NotLogged(context, outcome.Refusal!);
            default:
                var lead = outcome.Scored;
                context.Features.Set<IScoredByFeature>(lead.Model.Reference);
                return TypedResults.Ok(Response(lead, context));
        }
    }

    internal static async Task<Results<Ok<ScoreLeadResponse[]>, ValidationProblem, ProblemHttpResult>> ScoreLeads(
        HttpContext context, LeadScoringService scoring, CancellationToken cancellationToken)
    {
        var outcome = await scoring.ScoreLeadsAsync(context.Request, cancellationToken);
        switch (outcome.Status)
        {
            case ScoringStatus.NoModel:
                return NoModel();
            case ScoringStatus.Invalid:
                return Invalid(outcome.Errors!);
            case ScoringStatus.LogRefused:
                return NotLogged(context, outcome.Refusal!);
            default:
                var leads = outcome.Scored!;
                // The request log names one model: the first lead's. Under an A/B test each lead's own arm and model are in
                // its response and its prediction record.
                context.Features.Set<IScoredByFeature>(leads[0].Model.Reference);
                var responses = new ScoreLeadResponse[leads.Length];
                for (var i = 0; i < leads.Length; i++)
                {
                    responses[i] = Response(leads[i], context);
                }

                return TypedResults.Ok(responses);
        }
    }

    private static ScoreLeadResponse Response(in ScoredLead lead, HttpContext context) =>
        new(lead.LeadId, lead.Score, lead.Bucket, lead.Model.Reference, ServingArmNames.Of(lead.Arm), context.TraceIdentifier);

    // The leads were scored but their records are not committed: no score is returned, so the caller retries.
    private static ProblemHttpResult NotLogged(HttpContext context, LogRefusal refusal)
    {
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: refusal.Title, detail: refusal.Detail);
    }

    private static ProblemHttpResult NoModel() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "No model is being served",
        detail: "No Production model is loaded yet (first start trains one; see /health/ready), or the served model has no Production version.");

    private static ValidationProblem Invalid(IReadOnlyDictionary<string, List<string>> errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        detail: "The request does not match the model's schema: " + string.Join("; ", errors.Take(5).Select(e => $"{e.Key} {e.Value[0]}")) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
        title: "Invalid scoring request");
}
