using System.Text.Json;
using LeadScoring.Server.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Server.Scoring;

/// <summary>POST /score-lead and POST /score-leads: score leads with the Production model.</summary>
public static class ScoringEndpoints
{
    /// <summary>The HttpContext item holding the version that scored the request (for the request log).</summary>
    public const string ModelVersionItem = "leadscoring.model-version";

    public static RouteGroupBuilder MapScoring(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Scoring");
        group.MapPost("/score-lead", ScoreLead)
            .Accepts<ScoreLeadRequest>("application/json")
            .WithSummary("Score one lead")
            .WithDescription("Returns the calibrated conversion probability, its band and the model version. Every schema feature must be present (null when unknown); GET /model lists them.");
        group.MapPost("/score-leads", ScoreLeads)
            .Accepts<ScoreLeadRequest[]>("application/json")
            .WithSummary("Score a batch of leads")
            .WithDescription("Takes a JSON array of leads (at most LeadScoring:MaxBatchSize) and returns their scores in the same order. One invalid lead rejects the whole batch, with every error listed.");
        return group;
    }

    internal static async Task<Results<Ok<ScoreLeadResponse>, ValidationProblem, ProblemHttpResult>> ScoreLead(
        HttpContext context, ServedModel served, ScoringSettings settings, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(context, served, settings, cancellationToken);
        if (request.Unavailable is { } unavailable)
        {
            return unavailable;
        }

        if (request.BadBody is { } badBody)
        {
            return badBody;
        }

        var (model, document) = (request.Model!, request.Document!);
        using (document)
        {
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var lead = ScoreRequestParser.Parse(document.RootElement, model.Package.Schema, "", errors);
            if (lead is not { } valid)
            {
                return Invalid(errors);
            }

            context.Items[ModelVersionItem] = model.Version;
            var score = model.Package.Scorer.Score(valid.Features);
            return TypedResults.Ok(new ScoreLeadResponse(valid.LeadId, score, settings.Buckets.Of(score), new ModelRef(model.Name, model.Version), context.TraceIdentifier));
        }
    }

    internal static async Task<Results<Ok<ScoreLeadResponse[]>, ValidationProblem, ProblemHttpResult>> ScoreLeads(
        HttpContext context, ServedModel served, ScoringSettings settings, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(context, served, settings, cancellationToken);
        if (request.Unavailable is { } unavailable)
        {
            return unavailable;
        }

        if (request.BadBody is { } badBody)
        {
            return badBody;
        }

        var (model, document) = (request.Model!, request.Document!);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return BodyProblem("must be a JSON array of leads");
            }

            var count = root.GetArrayLength();
            if (count == 0 || count > settings.MaxBatchSize)
            {
                return BodyProblem($"holds {count} leads; a batch holds 1 to {settings.MaxBatchSize}");
            }

            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var leads = new List<(string LeadId, Core.Features.LeadFeatures Features)>(count);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (ScoreRequestParser.Parse(element, model.Package.Schema, $"[{index}]", errors) is { } lead)
                {
                    leads.Add(lead);
                }

                index++;
            }

            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            context.Items[ModelVersionItem] = model.Version;
            var reference = new ModelRef(model.Name, model.Version);
            var results = new ScoreLeadResponse[leads.Count];
            for (var i = 0; i < results.Length; i++)
            {
                var score = model.Package.Scorer.Score(leads[i].Features);
                results[i] = new ScoreLeadResponse(leads[i].LeadId, score, settings.Buckets.Of(score), reference, context.TraceIdentifier);
            }

            return TypedResults.Ok(results);
        }
    }

    // Both routes start alike: a model must be loaded, and the body must be readable JSON within the size limit.
    private static async Task<ScoringRequest> ReadAsync(HttpContext context, ServedModel served, ScoringSettings settings, CancellationToken cancellationToken)
    {
        if (served.Current is not { } model)
        {
            return new ScoringRequest(null, null, NoModel(), null);
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(context.Request, settings.MaxRequestBytes, cancellationToken);
        return document is null ? new ScoringRequest(null, null, null, BodyProblem(bodyError!)) : new ScoringRequest(model, document, null, null);
    }

    private static ProblemHttpResult NoModel() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "No model is being served",
        detail: "No Production model is loaded yet (first start trains one; see /health/ready), or the served model has no Production version.");

    private readonly record struct ScoringRequest(LoadedModel? Model, JsonDocument? Document, ProblemHttpResult? Unavailable, ValidationProblem? BadBody);

    private static ValidationProblem BodyProblem(string message) => Invalid(new() { ["body"] = [message] });

    private static ValidationProblem Invalid(Dictionary<string, List<string>> errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        detail: "The request does not match the model's schema: " + string.Join("; ", errors.Take(5).Select(e => $"{e.Key} {e.Value[0]}")) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
        title: "Invalid scoring request");
}
