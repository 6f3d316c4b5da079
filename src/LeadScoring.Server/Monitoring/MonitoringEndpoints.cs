using System.Text.Json;
using LeadScoring.Application.Monitoring;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Monitoring;

/// <summary>
/// The monitoring runs over HTTP (admin key required, like the registry's and the deployments' routes, reads
/// included: the runs hold the features' distributions and the business figures): list runs, show one with its
/// summary and figures, a figure's history as a series, and run now. A bad parameter is a 400 naming it; a model the
/// registry does not know, or an unknown run, 404.
/// </summary>
public static class MonitoringEndpoints
{
    private static readonly string[] StartFields = ["model", "from", "to", "version", "arm"];

    public static RouteGroupBuilder MapMonitoring(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/monitoring").WithTags("Monitoring").AddEndpointFilter<AdminKeyFilter>();
        group.MapGet("/runs", ListRuns)
            .WithSummary("List monitoring runs, newest first, paged")
            .WithDescription("Filters: model, version, arm (champion, challenger, shadow), kind (hourly, daily, weekly, manual), from/to (the run's window end in [from, to)); page_size (1–1000, default 100); before: the next_before of the previous page.");
        group.MapGet("/runs/{id:long}", GetRun).WithSummary("Show a run: its summary (the window report and the run's context) and every figure");
        group.MapGet("/runs/{id:long}/report", GetReport).WithSummary("A weekly run's HTML drift report (self-contained: open it in a browser)");
        group.MapGet("/series", Series)
            .WithSummary("A figure's history: metric (and feature) over the runs of one scope, by window end")
            .WithDescription("model and metric are required; version and arm pick the scope (absent: the runs over every version or arm, so one series never mixes scopes); kind any when absent; from/to default to the last 30 days.");
        group.MapPost("/runs", Start)
            .Accepts<StartMonitoringRunBody>("application/json")
            .WithSummary("Run monitoring now over a window (kind manual): one run per version and arm that scored leads in it");
        group.MapInvestigation();
        return group;
    }

    internal static async Task<Ok<MonitoringRunPageResponse>> ListRuns(
        IModelRegistry registry,
        MonitoringStore store,
        [FromQuery(Name = "model")] string? model,
        [FromQuery(Name = "version")] string? version,
        [FromQuery(Name = "arm")] string? arm,
        [FromQuery(Name = "kind")] string? kind,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        [FromQuery(Name = "before")] string? before,
        [FromQuery(Name = "page_size")] string? pageSize,
        CancellationToken cancellationToken)
    {
        var filter = new MonitoringRunFilter(
            model, MonitoringQuery.Version(version), MonitoringQuery.Arm(arm), MonitoringQuery.Kind(kind), MonitoringQuery.Time(from, "from"), MonitoringQuery.Time(to, "to"));
        MonitoringQuery.Ordered(filter.From, filter.To);
        var after = MonitoringQuery.Before(before);
        var size = MonitoringQuery.PageSize(pageSize);
        if (model is not null)
        {
            await RequireModelAsync(registry, model, cancellationToken);
        }

        var page = await store.ListRunsAsync(filter, after, size, cancellationToken);
        return TypedResults.Ok(new MonitoringRunPageResponse([.. page.Rows.Select(MonitoringRunResponse.From)], page.NextBefore));
    }

    internal static async Task<Results<Ok<MonitoringRunDetailResponse>, ProblemHttpResult>> GetRun(long id, MonitoringStore store, CancellationToken cancellationToken) =>
        await store.GetRunAsync(id, cancellationToken) is { } detail
            ? TypedResults.Ok(MonitoringRunDetailResponse.From(detail))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no monitoring run has id {id}");

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetReport(
        long id, MonitoringStore store, MonitoringRunSettings settings, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(id, cancellationToken) is not { } detail)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no monitoring run has id {id}");
        }

        // Only a bare file name in the report directory is served, whatever the stored path says.
        var name = detail.Run.Run.ReportPath is { } stored ? Path.GetFileName(stored) : null;
        var path = name is null || settings.ReportDirectory is null ? null : Path.Combine(settings.ReportDirectory, name);
        return path is not null && File.Exists(path)
            ? TypedResults.PhysicalFile(path, "text/html; charset=utf-8")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"monitoring run {id} has no HTML report (only weekly checks write one)");
    }

    internal static async Task<Ok<MonitoringSeriesResponse>> Series(
        IModelRegistry registry,
        MonitoringStore store,
        TimeProvider time,
        [FromQuery(Name = "model")] string? model,
        [FromQuery(Name = "metric")] string? metric,
        [FromQuery(Name = "feature")] string? feature,
        [FromQuery(Name = "version")] string? version,
        [FromQuery(Name = "arm")] string? arm,
        [FromQuery(Name = "kind")] string? kind,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        CancellationToken cancellationToken)
    {
        var name = MonitoringQuery.Required(model, "model", "the registered model's name");
        var figure = MonitoringQuery.Required(metric, "metric", "a figure's name (psi, roc_auc, estimated_roc_auc, …; see docs/monitoring.md)");
        if (feature is not null && string.IsNullOrWhiteSpace(feature))
        {
            throw MonitoringQuery.Invalid("feature", "must be a feature's (or band's) name when given");
        }

        // Stored times have microseconds: one past now includes a window that ended this instant.
        var end = MonitoringQuery.Time(to, "to") ?? time.GetUtcNow().AddTicks(TimeSpan.TicksPerMicrosecond);
        var start = MonitoringQuery.Time(from, "from") ?? end - MonitoringQuery.DefaultSeriesSpan;
        MonitoringQuery.Ordered(start, end);
        var query = new MonitoringSeriesQuery(name, figure, start, end, feature, MonitoringQuery.Version(version), MonitoringQuery.Arm(arm), MonitoringQuery.Kind(kind));
        await RequireModelAsync(registry, name, cancellationToken);
        var points = await store.ReadSeriesAsync(query, cancellationToken);
        return TypedResults.Ok(new MonitoringSeriesResponse(
            name, figure, feature, query.ModelVersion, query.Arm, query.Kind, start, end, [.. points.Select(MonitoringSeriesPointResponse.From)]));
    }

    internal static async Task<Results<Created<MonitoringRunDetailResponse[]>, ProblemHttpResult>> Start(
        HttpContext context, IOptions<AdminOptions> options, MonitoringRunner runner, CancellationToken cancellationToken)
    {
        var body = (await AdminRequests.ReadObjectAsync(context.Request, options.Value.MaxReasonLength, optional: false, cancellationToken))!.Value;
        AdminRequests.OnlyFields(body, StartFields);
        var request = new MonitoringRunRequest(
            BodyString(body, "model") ?? throw new InvalidRequestException("model", "is required: the registered model's name"),
            BodyTime(body, "from") ?? throw new InvalidRequestException("from", "is required: the window's start, e.g. 2026-03-01T00:00:00Z"),
            BodyTime(body, "to") ?? throw new InvalidRequestException("to", "is required: the window's end (exclusive), e.g. 2026-03-02T00:00:00Z"),
            BodyVersion(body),
            BodyString(body, "arm"));
        IReadOnlyList<MonitoringRunDetail> runs;
        try
        {
            runs = await runner.RunAsync(request, cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName is "model" or "from" or "to" or "version" or "arm")
        {
            throw new InvalidRequestException(e.ParamName, e.Message.Split(" (Parameter", 2)[0][(e.ParamName.Length + 1)..]);
        }
        catch (MonitoringModelNotFoundException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: e.Message);
        }

        var first = runs.Count == 0 ? "/monitoring/runs" : $"/monitoring/runs/{runs[0].Run.Id}";
        return TypedResults.Created(first, runs.Select(MonitoringRunDetailResponse.From).ToArray());
    }

    // 404 for a model the registry does not know; a name it would refuse is the caller's 400.
    private static async Task RequireModelAsync(IModelRegistry registry, string model, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelVersionSummary> versions;
        try
        {
            versions = await registry.ListVersionSummariesAsync(model, cancellationToken);
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.Invalid)
        {
            throw MonitoringQuery.Invalid("model", e.Message);
        }

        if (versions.Count == 0)
        {
            throw new InvalidRequestException("model", $"names no registered model ('{model}')", "Not found", StatusCodes.Status404NotFound);
        }
    }

    private static string? BodyString(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidRequestException(field, "must be a string");
    }

    private static DateTimeOffset? BodyTime(JsonElement body, string field) =>
        BodyString(body, field) is not { } text ? null
        : Storage.Outcomes.OutcomeTimes.TryParse(text, out var at, out var problem) ? at
        : throw new InvalidRequestException(field, problem);

    private static int? BodyVersion(JsonElement body)
    {
        if (!body.TryGetProperty("version", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var version) ? version : throw new InvalidRequestException("version", "must be a whole number or null");
    }
}
