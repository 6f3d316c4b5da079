using LeadScoring.Server.Deployments;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Health;
using LeadScoring.Server.Serving;
using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Registry;

/// <summary>
/// The model registry over HTTP (admin key required): list, show, register, stage, alias, rollback, audit.
/// Refusals are exceptions that <see cref="ProblemExceptionHandler"/> turns into problems.
/// </summary>
public static partial class RegistryEndpoints
{
    /// <summary>Header naming the person acting, recorded in the audit log.</summary>
    public const string ActorHeader = AdminRequests.ActorHeader;

    public static RouteGroupBuilder MapRegistry(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/registry").WithTags("Registry").AddEndpointFilter<AdminKeyFilter>().AddEndpointFilter(RecordWrite);
        group.MapGet("/models", ListModels).WithSummary("List registered models");
        group.MapGet("/models/{name}/versions", ListVersions).WithSummary("List a model's versions, newest first");
        group.MapGet("/models/{name}/versions/{version:int}", GetVersion).WithSummary("Show one version with its metadata and lineage");
        group.MapPost("/models/{name}/versions", Register)
            .Accepts<byte[]>("application/zip")
            .WithSummary("Register a model package archive")
            .WithDescription("The body is a package archive (`leadscore package DIR --out FILE.zip` writes one from a package folder), at most LeadScoring:Admin:MaxPackageBytes (413 beyond). It is loaded, hash-checked and probe-scored before anything is stored; a package whose features differ from the latest version is refused unless allow_schema_change=true.");
        group.MapPost("/models/{name}/versions/{version:int}/stage", Transition)
            .Accepts<TransitionRequest>("application/json")
            .WithSummary("Move a version to a stage (Production archives the previous one)");
        group.MapPut("/models/{name}/aliases/{alias}", SetAlias)
            .Accepts<AliasRequest>("application/json")
            .WithSummary("Point an alias (e.g. champion, challenger) at a version");
        group.MapDelete("/models/{name}/aliases/{alias}", RemoveAlias).WithSummary("Remove an alias");
        group.MapPost("/models/{name}/rollback", Rollback)
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .WithSummary("Put the previous Production version back in Production");
        group.MapGet("/audit", Audit).WithSummary("The audit log, newest first");
        return group;
    }

    internal static async Task<Ok<ModelSummaryResponse[]>> ListModels(IModelRegistry registry, CancellationToken cancellationToken)
    {
        var models = await registry.ListModelsAsync(cancellationToken);
        return TypedResults.Ok(models.Select(m => new ModelSummaryResponse(m.Name, m.CreatedAt, m.LatestVersion, m.ProductionVersion)).ToArray());
    }

    internal static async Task<Results<Ok<ModelVersionResponse[]>, ProblemHttpResult>> ListVersions(string name, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var versions = await registry.ListVersionSummariesAsync(name, cancellationToken);
        return versions.Count == 0
            ? NotFound($"no model named '{name}'")
            : TypedResults.Ok(versions.Select(ModelVersionResponse.From).ToArray());
    }

    internal static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> GetVersion(string name, int version, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var found = await registry.GetVersionAsync(name, version, cancellationToken);
        return found is null ? NotFound($"{name} has no version {version}") : TypedResults.Ok(ModelVersionResponse.From(found, withMetadata: true));
    }

    internal static async Task<Created<ModelVersionResponse>> Register(
        string name,
        HttpContext context,
        ModelRegistration registration,
        IOptions<AdminOptions> options,
        [FromQuery(Name = "description")] string? description,
        [FromQuery(Name = "reason")] string? reason,
        [FromQuery(Name = "allow_schema_change")] bool? allowSchemaChange,
        CancellationToken cancellationToken)
    {
        var admin = options.Value;
        var actor = AdminRequests.Actor(context);
        AdminRequests.CheckLength("description", description, admin.MaxReasonLength);
        AdminRequests.CheckLength("reason", reason, admin.MaxReasonLength);
        var archive = await AdminRequests.ReadPackageAsync(context.Request, admin.MaxPackageBytes, cancellationToken);
        var registered = await registration.RegisterAsync(
            new RegistrationRequest(name, archive, actor, description, null, reason, allowSchemaChange ?? false),
            cancellationToken);
        return TypedResults.Created($"/registry/models/{Uri.EscapeDataString(name)}/versions/{registered.Version}", ModelVersionResponse.From(registered, withMetadata: true));
    }

    internal static async Task<Ok<ModelVersionResponse>> Transition(
        string name, int version, HttpContext context, IOptions<AdminOptions> options, IModelRegistry registry, ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadTransitionAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        if (!Enum.TryParse<ModelStage>(request.Stage, ignoreCase: true, out var stage) || !Enum.IsDefined(stage) || int.TryParse(request.Stage, out _))
        {
            throw new InvalidRequestException("stage", $"'{request.Stage}' is not a stage; expected None, Staging, Production or Archived", "Invalid stage");
        }

        var moved = await registry.TransitionAsync(name, version, stage, actor, request.Reason, cancellationToken);
        await Resync(sync, loggers, cancellationToken);
        return TypedResults.Ok(ModelVersionResponse.From(moved, withMetadata: false));
    }

    internal static async Task<Ok<ModelVersionResponse>> SetAlias(
        string name, string alias, HttpContext context, IOptions<AdminOptions> options, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadAliasAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        var target = await registry.SetAliasAsync(name, alias, request.Version, actor, request.Reason, cancellationToken);
        return TypedResults.Ok(ModelVersionResponse.From(target, withMetadata: false));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveAlias(
        string name, string alias, HttpContext context, IOptions<AdminOptions> options, IModelRegistry registry, [FromQuery(Name = "reason")] string? reason, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        AdminRequests.CheckLength("reason", reason, options.Value.MaxReasonLength);
        return await registry.RemoveAliasAsync(name, alias, actor, reason, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound($"{name} has no alias '{alias}'");
    }

    internal static async Task<Ok<ModelVersionResponse>> Rollback(
        string name, HttpContext context, IOptions<AdminOptions> options, IModelRegistry registry, ServingSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var actor = AdminRequests.Actor(context);
        var request = await AdminRequests.ReadRollbackAsync(context.Request, options.Value.MaxReasonLength, cancellationToken);
        var restored = await registry.RollbackAsync(name, actor, request.Reason, cancellationToken);
        await Resync(sync, loggers, cancellationToken);
        return TypedResults.Ok(ModelVersionResponse.From(restored, withMetadata: false));
    }

    internal static async Task<Ok<AuditEntryResponse[]>> Audit(
        IModelRegistry registry, [FromQuery(Name = "model")] string? model, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000)
        {
            throw new InvalidRequestException("limit", "must be between 1 and 1000", "Invalid query");
        }

        var entries = await registry.GetAuditLogAsync(model, take, cancellationToken);
        return TypedResults.Ok(entries.Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor, e.ModelName, e.Version, e.Action, e.Alias, e.From, e.To, e.Reason)).ToArray());
    }

    // Readiness reports store faults only a write can find (a full disk on the database server): a registry call
    // that met one records it, and a registry write that went through clears it. Only these routes write the
    // registry, so a fault of the prediction log or outcomes never marks the registry unready.
    private static async ValueTask<object?> RecordWrite(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var status = context.HttpContext.RequestServices.GetRequiredService<StoreWriteStatus>();
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (StoreFaults.Classify(e) is { } fault)
        {
            status.Failed(fault);
            throw;
        }

        if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
        {
            status.Succeeded();
        }

        return result;
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
            LogResyncFailed(loggers.CreateLogger(typeof(RegistryEndpoints)), e);
        }
    }

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry changed but this instance could not reload yet; the next poll will")]
    private static partial void LogResyncFailed(ILogger logger, Exception error);
}
