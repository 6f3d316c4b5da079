using LeadScoring.Server.Errors;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// POST /outcomes (what the CRM says happened to leads) and GET /outcomes/summary (how they match the scores), both
/// behind the admin key or the ingest key. A rejected request writes nothing: every item is checked before the
/// store is called, and the store writes a batch in one transaction.
/// </summary>
public static class OutcomeEndpoints
{
    public static RouteGroupBuilder MapOutcomes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/outcomes").WithTags("Outcomes").AddEndpointFilter<OutcomesKeyFilter>();
        group.MapPost("", Record)
            .Accepts<OutcomeRequest[]>("application/json")
            .WithSummary("Record what happened to leads (one outcome or an array)")
            .WithDescription(
                "Takes one outcome object or an array of 1 to LeadScoring:Outcomes:MaxBatchSize (default 10,000); needs X-Api-Key (the admin key or the ingest key). " +
                "A lead has one current outcome: the same outcome again changes nothing, a different one replaces it (the old one stays in the lead's history). " +
                "Outcomes of leads never scored are stored and counted as unmatched. One invalid item rejects the request, with every problem listed by item and field ([3].converted); nothing is written.");
        group.MapGet("/summary", Summary)
            .WithSummary("Outcomes received, matched to scores, conversion and the conversion delay")
            .WithDescription("known_by (ISO 8601 with an offset, default now) gives the numbers as they were known then. The delay is from a lead's first score to its outcome's occurred_at, over matched leads, in seconds and as text.");
        return group;
    }

    internal static async Task<Results<Ok<OutcomeBatchResponse>, ValidationProblem>> Record(
        HttpContext context,
        OutcomeStore store,
        FeedbackReader feedback,
        IOptions<OutcomesOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var source = OutcomesKeyFilter.Source(context);
        var limits = options.Value;
        using var document = await OutcomeRequestBody.ReadAsync(context.Request, limits.MaxRequestBytes, cancellationToken);
        var single = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        var errors = new FieldErrors();
        var outcomes = OutcomeRequestParser.Parse(document.RootElement, limits.MaxBatchSize, time.GetUtcNow(), limits.ClockSkew, errors);
        if (outcomes is null)
        {
            return Invalid(errors);
        }

        OutcomeBatchResult result;
        try
        {
            result = await store.RecordAsync(outcomes, source, cancellationToken);
        }
        catch (InvalidOutcomeException e) when (e.Field.Length > 0)
        {
            // The parser checks the store's rules first; should they ever differ, the client still gets a 400.
            errors.Add(OutcomeRequestParser.Key(single ? "" : $"[{e.Index}]", e.Field), e.Problem);
            return Invalid(errors);
        }

        var leads = outcomes.Select(o => o.LeadId).Distinct(StringComparer.Ordinal).ToArray();
        var matched = await feedback.CountScoredAsync(leads, cancellationToken);
        return TypedResults.Ok(new OutcomeBatchResponse(outcomes.Count, result.New, result.Replaced, result.Unchanged, leads.Length, matched, leads.Length - matched));
    }

    internal static async Task<Ok<OutcomeSummaryResponse>> Summary(
        FeedbackReader feedback, TimeProvider time, [FromQuery(Name = "known_by")] string? knownBy, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        if (knownBy is not null && !OutcomeTimes.TryParse(knownBy, out at, out var problem))
        {
            throw new InvalidRequestException("known_by", problem, "Invalid query");
        }

        return TypedResults.Ok(OutcomeSummaryResponse.From(await feedback.GetMatchSummaryAsync(at, cancellationToken)));
    }

    private static ValidationProblem Invalid(FieldErrors errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(),
        detail: "Nothing was recorded: " + errors.Summary(),
        title: "Invalid outcomes");
}
