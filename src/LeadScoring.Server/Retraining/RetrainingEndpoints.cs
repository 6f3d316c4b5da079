using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Server.Deployments;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Retraining;

/// <summary>
/// Retraining over HTTP (admin key required, like the deployment routes): request a run, list and show runs (status,
/// trigger, data, trials, gate, promotion step, events), approve a candidate waiting at 100 % canary, cancel a run.
/// A bad field is a 400 naming it; an unknown run 404; a second run while one is unfinished, or a step in the wrong
/// state, 409.
/// </summary>
public static class RetrainingEndpoints
{
    private static readonly string[] RequestFields = ["model", "reason", "seed", "trials"];

    public static RouteGroupBuilder MapRetraining(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/retraining/runs").WithTags("Retraining").AddEndpointFilter<AdminKeyFilter>();
        group.MapPost("", Request)
            .Accepts<RetrainingRequestBody>(isOptional: true, "application/json")
            .WithSummary("Request a retraining run of the served model (or `model`); 202 with the queued run, 409 while one is unfinished")
            .WithDescription("The worker takes the mature labelled leads of the last six months from the logs, searches hyper-parameters over time folds, gates the winner against Production on the latest fold, and sends a passing candidate through shadow, canary and approval.");
        group.MapGet("", List)
            .WithSummary("List runs, newest first, paged")
            .WithDescription("Filters: model, status, trigger (manual, drift, schedule); page_size (1–500, default 50); before: the next_before of the previous page.");
        group.MapGet("/{id:long}", Get).WithSummary("Show a run: status, trigger, data and snapshot, every search trial, the gate's figures and reasons, the promotion step, and every step taken");
        group.MapPost("/{id:long}/approve", Approve)
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .WithSummary("Approve a run awaiting approval: its candidate, serving 100 % in canary, becomes Production");
        group.MapPost("/{id:long}/cancel", Cancel)
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .WithSummary("Cancel an unfinished run (its deployment, if any, is aborted: the champion serves every lead again)");
        return group;
    }

    internal static async Task<Results<Accepted<RetrainingRunDocument>, ProblemHttpResult>> Request(
        HttpContext context,
        IOptions<AdminOptions> admin,
        IOptions<ServingOptions> serving,
        IOptions<RetrainingSettings> settings,
        RetrainingUseCases retraining,
        RetrainingWakeSignal worker,
        CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var body = await AdminRequests.ReadObjectAsync(context.Request, admin.Value.MaxReasonLength, optional: true, cancellationToken);
        string? model = null, reason = null;
        int? seed = null, trials = null;
        if (body is { } fields)
        {
            AdminRequests.OnlyFields(fields, RequestFields);
            model = BodyFields.Text(fields, "model", RegistryNames.MaxModelNameLength);
            reason = AdminRequests.Reason(fields, admin.Value.MaxReasonLength);
            seed = Integer(fields, "seed", int.MinValue, int.MaxValue);
            trials = Integer(fields, "trials", 1, 1_000);
        }

        model ??= serving.Value.ModelName;
        if (!RegistryNames.IsValidModelName(model))
        {
            throw new InvalidRequestException("model", $"'{model}' is not a model name: 1–{RegistryNames.MaxModelNameLength} letters, digits, '-', '_' or '.'");
        }

        try
        {
            var run = await retraining.RequestAsync(new RetrainingRequest(model, actor, reason, seed, trials), settings.Value, cancellationToken);
            worker.Pulse();
            return TypedResults.Accepted($"/retraining/runs/{run.Id}", RetrainingRunDocument.Of(run));
        }
        catch (RetrainingConflictException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message, extensions: new Dictionary<string, object?> { ["active_run_id"] = e.ActiveRunId });
        }
    }

    internal static async Task<Ok<RetrainingPageDocument>> List(
        RetrainingUseCases retraining,
        [FromQuery(Name = "model")] string? model,
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "trigger")] string? trigger,
        [FromQuery(Name = "before")] string? before,
        [FromQuery(Name = "page_size")] string? pageSize,
        CancellationToken cancellationToken)
    {
        RetrainingStatus? statusFilter = status is null ? null
            : RetrainingNames.TryParseStatus(status, out var s) ? s
            : throw QueryParameters.Invalid("status", $"must be one of {string.Join(", ", RetrainingNames.StatusNames)}; got '{status}'");
        RetrainingTrigger? triggerFilter = trigger is null ? null
            : RetrainingNames.TryParseTrigger(trigger, out var t) ? t
            : throw QueryParameters.Invalid("trigger", $"must be one of manual, drift, schedule; got '{trigger}'");
        var query = new RetrainingQuery(
            QueryParameters.Name(model, "model", RetrainingValidation.MaxNameLength), statusFilter, triggerFilter, QueryParameters.Before(before, "a run"), QueryParameters.PageSize(pageSize, 50, 500));
        return TypedResults.Ok(RetrainingPageDocument.Of(await retraining.ListAsync(query, cancellationToken)));
    }

    internal static async Task<Results<Ok<RetrainingRunDetailDocument>, ProblemHttpResult>> Get(long id, RetrainingUseCases retraining, CancellationToken cancellationToken) =>
        await retraining.GetAsync(id, cancellationToken) is { } detail
            ? TypedResults.Ok(RetrainingRunDetailDocument.Of(detail))
            : NoRun(id);

    internal static Task<Results<Ok<RetrainingRunDocument>, ProblemHttpResult>> Approve(
        long id, HttpContext context, IOptions<AdminOptions> admin, RetrainingUseCases retraining, ServingSync sync, CancellationToken cancellationToken) =>
        Change(id, context, admin, sync, (actor, reason) => retraining.ApproveAsync(id, actor, reason, cancellationToken), cancellationToken);

    internal static Task<Results<Ok<RetrainingRunDocument>, ProblemHttpResult>> Cancel(
        long id, HttpContext context, IOptions<AdminOptions> admin, RetrainingUseCases retraining, ServingSync sync, CancellationToken cancellationToken) =>
        Change(id, context, admin, sync, (actor, reason) => retraining.CancelAsync(id, actor, reason, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<RetrainingRunDocument>, ProblemHttpResult>> Change(
        long id, HttpContext context, IOptions<AdminOptions> admin, ServingSync sync, Func<string, string?, Task<RetrainingRun>> change, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadRollbackAsync(context.Request, admin.Value.MaxReasonLength, cancellationToken);
        try
        {
            var run = await change(actor, request.Reason);
            await sync.SyncAsync(force: true, cancellationToken);
            return TypedResults.Ok(RetrainingRunDocument.Of(run));
        }
        catch (RetrainingNotFoundException)
        {
            return NoRun(id);
        }
        catch (RetrainingStateException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }
    }

    private static int? Integer(JsonElement body, string field, int min, int max)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw new InvalidRequestException(field, min == int.MinValue ? "must be a whole number" : $"must be a whole number from {min} to {max}");
    }

    private static ProblemHttpResult NoRun(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no retraining run has id {id}");
}

/// <summary>POST /retraining/runs: every field optional.</summary>
/// <param name="Model">The model; default: the served one.</param>
/// <param name="Reason">Why, recorded on the run.</param>
/// <param name="Seed">A seed of the run's own.</param>
/// <param name="Trials">A trial count of the run's own (1–1000).</param>
public sealed record RetrainingRequestBody(string? Model, string? Reason, int? Seed, int? Trials);
