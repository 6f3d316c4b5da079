using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Hosting;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Registry;

/// <summary>The model registry over HTTP (admin key required): list, show, register, stage, alias, rollback, audit.</summary>
public static partial class RegistryEndpoints
{
    /// <summary>Header naming the person acting, recorded in the audit log.</summary>
    public const string ActorHeader = "X-Actor";

    public static RouteGroupBuilder MapRegistry(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/registry").WithTags("Registry").AddEndpointFilter<AdminKeyFilter>();
        group.MapGet("/models", ListModels).WithSummary("List registered models");
        group.MapGet("/models/{name}/versions", ListVersions).WithSummary("List a model's versions, newest first");
        group.MapGet("/models/{name}/versions/{version:int}", GetVersion).WithSummary("Show one version with its metadata and lineage");
        group.MapPost("/models/{name}/versions", Register)
            .Accepts<byte[]>("application/zip")
            .WithSummary("Register a model package archive")
            .WithDescription("The body is a package archive (`leadscore` writes one per package folder). It is loaded, hash-checked and probe-scored before anything is stored; a package whose features differ from the latest version is refused unless allow_schema_change=true.");
        group.MapPost("/models/{name}/versions/{version:int}/stage", Transition).WithSummary("Move a version to a stage (Production archives the previous one)");
        group.MapPut("/models/{name}/aliases/{alias}", SetAlias).WithSummary("Point an alias (e.g. champion, challenger) at a version");
        group.MapDelete("/models/{name}/aliases/{alias}", RemoveAlias).WithSummary("Remove an alias");
        group.MapPost("/models/{name}/rollback", Rollback).WithSummary("Put the previous Production version back in Production");
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
        var versions = await registry.ListVersionsAsync(name, cancellationToken);
        return versions.Count == 0
            ? NotFound($"no model named '{name}'")
            : TypedResults.Ok(versions.Select(v => ModelVersionResponse.From(v, withMetadata: false)).ToArray());
    }

    internal static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> GetVersion(string name, int version, IModelRegistry registry, CancellationToken cancellationToken)
    {
        var found = await registry.GetVersionAsync(name, version, cancellationToken);
        return found is null ? NotFound($"{name} has no version {version}") : TypedResults.Ok(ModelVersionResponse.From(found, withMetadata: true));
    }

    internal static async Task<Results<Created<ModelVersionResponse>, ValidationProblem, ProblemHttpResult>> Register(
        string name,
        HttpContext context,
        ModelRegistration registration,
        IOptions<LeadScoringOptions> options,
        [FromQuery(Name = "description")] string? description,
        [FromQuery(Name = "reason")] string? reason,
        [FromQuery(Name = "allow_schema_change")] bool? allowSchemaChange,
        CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxPackageBytes;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length == 0 || body.Length > limit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["package"] = [body.Length == 0 ? "the body is empty; send the package archive (application/zip)" : $"is {body.Length} bytes; the limit is {limit}"] },
                title: "Invalid package");
        }

        try
        {
            var registered = await registration.RegisterAsync(
                new RegistrationRequest(name, body.ToArray(), Actor(context), description, null, reason, allowSchemaChange ?? false),
                cancellationToken);
            return TypedResults.Created($"/registry/models/{Uri.EscapeDataString(name)}/versions/{registered.Version}", ModelVersionResponse.From(registered, withMetadata: true));
        }
        catch (ModelPackageException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["package"] = [e.Message] }, title: "Invalid package", detail: "The package was rejected and nothing was registered.");
        }
        catch (RegistryException e)
        {
            return Refused(e);
        }
    }

    internal static async Task<Results<Ok<ModelVersionResponse>, ValidationProblem, ProblemHttpResult>> Transition(
        string name, int version, TransitionRequest request, HttpContext context, IModelRegistry registry, ProductionModelSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ModelStage>(request.Stage, ignoreCase: true, out var stage) || !Enum.IsDefined(stage) || int.TryParse(request.Stage, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["stage"] = [$"'{request.Stage}' is not a stage; expected None, Staging, Production or Archived"] }, title: "Invalid stage");
        }

        try
        {
            var moved = await registry.TransitionAsync(name, version, stage, Actor(context), request.Reason, cancellationToken);
            await Resync(sync, loggers, cancellationToken);
            return TypedResults.Ok(ModelVersionResponse.From(moved, withMetadata: false));
        }
        catch (RegistryException e)
        {
            return Refused(e);
        }
    }

    internal static async Task<Results<Ok<ModelVersionResponse>, ValidationProblem, ProblemHttpResult>> SetAlias(
        string name, string alias, AliasRequest request, HttpContext context, IModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            var target = await registry.SetAliasAsync(name, alias, request.Version, Actor(context), request.Reason, cancellationToken);
            return TypedResults.Ok(ModelVersionResponse.From(target, withMetadata: false));
        }
        catch (RegistryException e)
        {
            return Refused(e);
        }
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveAlias(
        string name, string alias, HttpContext context, IModelRegistry registry, [FromQuery(Name = "reason")] string? reason, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.RemoveAliasAsync(name, alias, Actor(context), reason, cancellationToken)
                ? TypedResults.NoContent()
                : NotFound($"{name} has no alias '{alias}'");
        }
        catch (RegistryException e)
        {
            return Refused(e);
        }
    }

    internal static async Task<Results<Ok<ModelVersionResponse>, ValidationProblem, ProblemHttpResult>> Rollback(
        string name, RollbackRequest? request, HttpContext context, IModelRegistry registry, ProductionModelSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var restored = await registry.RollbackAsync(name, Actor(context), request?.Reason, cancellationToken);
            await Resync(sync, loggers, cancellationToken);
            return TypedResults.Ok(ModelVersionResponse.From(restored, withMetadata: false));
        }
        catch (RegistryException e)
        {
            return Refused(e);
        }
    }

    internal static async Task<Results<Ok<AuditEntryResponse[]>, ValidationProblem>> Audit(
        IModelRegistry registry, [FromQuery(Name = "model")] string? model, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be between 1 and 1000"] }, title: "Invalid query");
        }

        var entries = await registry.GetAuditLogAsync(model, take, cancellationToken);
        return TypedResults.Ok(entries.Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor, e.ModelName, e.Version, e.Action, e.Alias, e.From, e.To, e.Reason)).ToArray());
    }

    private static string Actor(HttpContext context)
    {
        var named = context.Request.Headers[ActorHeader].ToString().Trim();
        return named.Length is > 0 and <= 100 ? "api:" + named : "api:admin";
    }

    // The change is committed; switching this instance now (rather than at the next poll) is a courtesy.
    private static async Task Resync(ProductionModelSync sync, ILoggerFactory loggers, CancellationToken cancellationToken)
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

    private static ProblemHttpResult Refused(RegistryException e) => e.Kind switch
    {
        RegistryErrorKind.NotFound => NotFound(e.Message),
        RegistryErrorKind.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: e.Message),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry changed but this instance could not reload yet; the next poll will")]
    private static partial void LogResyncFailed(ILogger logger, Exception error);
}
