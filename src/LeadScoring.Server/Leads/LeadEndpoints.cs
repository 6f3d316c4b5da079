using System.Text.Json;
using LeadScoring.Application.Predictions;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Server.Scoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Server.Leads;

/// <summary>
/// One lead's story (admin key required): every logged score and outcome (GET /leads/{lead_id}), and point-in-time
/// replay of its scores (POST /leads/{lead_id}/replay). Lead ids are path segments: escape them
/// (<c>crm/1042</c> → <c>crm%2F1042</c>); the id is read from the raw request target, so an escaped slash is part
/// of the id, not a path separator.
/// </summary>
public static class LeadEndpoints
{
    private const string Prefix = "/leads/";

    public static RouteGroupBuilder MapLeads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/leads").WithTags("Leads").AddEndpointFilter<AdminKeyFilter>();
        group.MapGet("/{leadId}", GetLead)
            .WithSummary("A lead's logged scores and outcome history")
            .WithDescription("Every logged score of the lead, oldest first (time, request id, model version, arm, score, band, latency, shadow score, features as logged), and every version of its outcome (the current one marked). 404 when the platform knows nothing about the lead. Escape the id as a path segment.");
        group.MapPost("/{leadId}/replay", Replay)
            .WithSummary("Re-score a lead's logged predictions with the versions that made them")
            .WithDescription("Each logged prediction is re-scored from its logged features by the exact model version that scored it (match: |difference| ≤ 1e-9), and by the model's Production version today. A version that is gone or does not load is reported per entry. 404 when the lead was never scored.");
        return group;
    }

    internal static async Task<Results<Ok<LeadHistoryResponse>, ProblemHttpResult>> GetLead(
        string leadId, HttpContext context, PredictionLog log, OutcomeStore outcomes, CancellationToken cancellationToken)
    {
        var id = LeadId(context, leadId);
        var scores = await log.GetByLeadAsync(id, cancellationToken);
        var history = await outcomes.GetHistoryAsync(id, cancellationToken);
        if (scores.Count == 0 && history.Count == 0)
        {
            return NotFound($"no score and no outcome is recorded for lead '{id}'");
        }

        return TypedResults.Ok(new LeadHistoryResponse(
            id,
            [.. scores.Select(s => ScoreEntry(s.Record))],
            [.. history.Select(o => new LeadOutcomeEntry(o.Converted, o.Revenue, o.OccurredAt, o.ReceivedAt, o.Source, o.ReplacedAt, o.ReplacedAt is null))]));
    }

    internal static async Task<Results<Ok<LeadReplayResponse>, ProblemHttpResult>> Replay(
        string leadId, HttpContext context, LeadReplay replay, LeadScoringService scoring, CancellationToken cancellationToken)
    {
        var id = LeadId(context, leadId);
        var replayed = await replay.ReplayAsync(id, scoring.Buckets, cancellationToken);
        if (replayed.Count == 0)
        {
            return NotFound($"lead '{id}' was never scored (no logged prediction to replay)");
        }

        var entries = replayed.Select(r => new LeadReplayEntry(
            r.Logged.Record.ScoredAt,
            r.Logged.Record.RequestId,
            new LeadModelRef(r.Logged.Record.ModelName, r.Logged.Record.ModelVersion),
            r.Logged.Record.Arm,
            r.Logged.Record.Score,
            r.Logged.Record.Band,
            r.ReplayedScore,
            r.Difference,
            r.Matches,
            r.ReplayProblem,
            r.CurrentVersion,
            r.CurrentScore,
            r.CurrentBand,
            r.CurrentProblem)).ToList();
        return TypedResults.Ok(new LeadReplayResponse(
            id,
            entries.Count,
            entries.Count(e => e.Match == true),
            entries.Count(e => e.Match == false),
            entries.Count(e => e.Match is null),
            entries));
    }

    private static LeadScoreEntry ScoreEntry(PredictionRecord r)
    {
        using var features = JsonDocument.Parse(r.FeaturesJson);
        return new LeadScoreEntry(
            r.ScoredAt, r.RequestId, new LeadModelRef(r.ModelName, r.ModelVersion), r.Arm, r.Score, r.Band, r.LatencyMicroseconds / 1000.0, r.ShadowModelVersion, r.ShadowScore, features.RootElement.Clone());
    }

    /// <summary>
    /// The lead id as the client escaped it. The server leaves "%2F" escaped in the routed path (so an id with a
    /// slash reaches the route), so the segment is decoded here, once, from the raw request target.
    /// </summary>
    private static string LeadId(HttpContext context, string routed)
    {
        var id = routed;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && raw.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = raw.Split('?', 2)[0];
            var end = path.IndexOf('/', Prefix.Length);
            id = Uri.UnescapeDataString(end < 0 ? path[Prefix.Length..] : path[Prefix.Length..end]);
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > OutcomeValidation.MaxLeadIdLength)
        {
            throw new InvalidRequestException("lead_id", $"must be 1 to {OutcomeValidation.MaxLeadIdLength} characters, not blank", "Invalid lead id");
        }

        return id;
    }

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
