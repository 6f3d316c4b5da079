using LeadScoring.Application.Deployments;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Deployments over HTTP (admin key required, like the registry's routes): start (or end, mode single), list, show,
/// approve, abort. Refusals are exceptions that <see cref="ProblemExceptionHandler"/> turns into problems: a bad
/// field 400 naming it by JSON path, an unknown id 404, a conflict or a wrong state 409.
/// </summary>
public static partial class DeploymentEndpoints
{
    public static RouteGroupBuilder MapDeployments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/deployments").WithTags("Deployments").AddEndpointFilter<AdminKeyFilter>();
        group.MapPost("/", Start)
            .Accepts<StartDeploymentBody>("application/json")
            .WithSummary("Start a deployment (shadow, ab, canary), or end the active one (single)")
            .WithDescription("The champion is the model's Production version. ab serves the challenger to `share` of the leads (default 0.1); canary steps through `steps` (default 10 % for 1 day, 50 % for 2 days, then 100 %), advancing while its guardrails hold and rolling back on its own when one breaches; shadow scores every lead with the challenger off the request path. A lead keeps its arm (sticky on the deployment's salt). One active deployment per model (409 otherwise).");
        group.MapGet("/", List).WithSummary("List deployments, newest first");
        group.MapGet("/{id:long}", Get).WithSummary("Show a deployment with its events (and its counts, in shadow mode)");
        group.MapPost("/{id:long}/approve", Approve)
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .WithSummary("Approve: the challenger goes to Production (a canary at its last step, or ab or shadow)");
        group.MapPost("/{id:long}/abort", Abort)
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .WithSummary("Abort: the champion answers every lead again");

        group.MapDeploymentAnalysis();
        return group;
    }

    internal static async Task<Results<Created<DeploymentResponse>, Ok<DeploymentResponse>>> Start(
        HttpContext context, IOptions<AdminOptions> options, DeploymentUseCases deployments, DeploymentStore store, ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var body = await DeploymentRequests.ReadStartAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        // The reader accepted only known modes.
        var mode = DeploymentNames.TryParseMode(body.Mode, out var parsed) ? parsed.Value : throw new InvalidRequestException("mode", "is required: single, shadow, ab or canary");
        if (mode == DeploymentMode.Single)
        {
            var active = await store.GetActiveAsync(body.Model, cancellationToken)
                ?? throw new DeploymentConflictException($"model '{body.Model}' has no active deployment: the champion already answers every lead");
            var ended = await deployments.AbortAsync(active.Id, actor, body.Reason ?? "mode single", cancellationToken);
            await Resync(sync, loggers, cancellationToken);
            return TypedResults.Ok(DeploymentResponse.From(ended));
        }

        Deployment started;
        try
        {
            var steps = body.Steps?.Select(s => new CanaryStepSpec(s.Share, DeploymentRequests.ParseDuration(s.Duration))).ToArray();
            started = await deployments.StartAsync(
                new StartDeploymentRequest(body.Model, body.ChallengerVersion, mode, actor, Share: body.Share, Steps: steps, AutoPromote: body.AutoPromote ?? false, Reason: body.Reason),
                cancellationToken);
        }
        catch (ArgumentException e)
        {
            var field = DeploymentRequests.FieldOf(e.ParamName);
            throw new InvalidRequestException(field, e.Message.Split(" (Parameter", 2)[0]);
        }

        await Resync(sync, loggers, cancellationToken);
        return TypedResults.Created($"/deployments/{started.Id}", DeploymentResponse.From(started));
    }

    internal static async Task<Ok<DeploymentResponse[]>> List(
        DeploymentStore store, [FromQuery(Name = "model")] string? model, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > DeploymentStore.MaxLimit)
        {
            throw new InvalidRequestException("limit", $"must be between 1 and {DeploymentStore.MaxLimit}", "Invalid query");
        }

        var found = await store.ListAsync(model, take, cancellationToken);
        return TypedResults.Ok(found.Select(DeploymentResponse.From).ToArray());
    }

    internal static async Task<Results<Ok<DeploymentDetailResponse>, ProblemHttpResult>> Get(
        long id, DeploymentUseCases deployments, DeploymentStore store, ShadowScorer shadow, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await deployments.GetStatusAsync(id, cancellationToken) is not { } status)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no deployment has id {id}");
        }

        ShadowCountsResponse? counts = null;
        if (status.Deployment.Mode == DeploymentMode.Shadow)
        {
            var to = status.Deployment.EndedAt ?? time.GetUtcNow();
            var rows = await store.ReadArmMinutesAsync(id, status.Deployment.CreatedAt.AddMinutes(-1), to.AddMinutes(1), cancellationToken);
            var shadowRows = rows.Where(r => r.Arm == Storage.Predictions.ServingArms.Shadow).ToList();
            counts = new ShadowCountsResponse(shadowRows.Sum(r => r.Requests), shadowRows.Sum(r => r.Errors), ShadowReplicaCounts.From(shadow));
        }

        return TypedResults.Ok(new DeploymentDetailResponse(
            DeploymentResponse.From(status.Deployment), status.Events.Select(DeploymentEventResponse.From).ToArray(), counts));
    }

    internal static async Task<Ok<DeploymentResponse>> Approve(
        long id, HttpContext context, IOptions<AdminOptions> options, DeploymentUseCases deployments, ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadRollbackAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        var approved = await deployments.ApproveAsync(id, actor, request.Reason, cancellationToken);
        await Resync(sync, loggers, cancellationToken);
        return TypedResults.Ok(DeploymentResponse.From(approved));
    }

    internal static async Task<Ok<DeploymentResponse>> Abort(
        long id, HttpContext context, IOptions<AdminOptions> options, DeploymentUseCases deployments, ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadRollbackAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        var aborted = await deployments.AbortAsync(id, actor, request.Reason, cancellationToken);
        await Resync(sync, loggers, cancellationToken);
        return TypedResults.Ok(DeploymentResponse.From(aborted));
    }

    // The change is committed; switching this instance now (rather than at the next poll) is a courtesy.
    private static async Task Resync(ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await sync.SyncAsync(force: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogResyncFailed(loggers.CreateLogger(typeof(DeploymentEndpoints)), e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment changed but this instance could not follow yet; the next poll will")]
    private static partial void LogResyncFailed(ILogger logger, Exception error);
}
