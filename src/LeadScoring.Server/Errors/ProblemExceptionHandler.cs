using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Health;
using LeadScoring.Storage;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Server.Errors;

/// <summary>
/// Turns the exceptions that mean "the request was refused" into ProblemDetails, so route handlers stay
/// straight-line code: registry refusals (404, 409, 400), invalid packages and fields (400, 413, 415), and a
/// store that cannot be used (503 naming the cause, also reported by readiness). Anything else is left to the
/// exception handler middleware: a 500 problem without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before retrying when the store cannot be used.</summary>
    public const int RetryAfterSeconds = 30;

    // RegistryNames names the field first in its messages ("modelName 'x' is invalid: …"); these are the ones a
    // caller of the HTTP API can fix, under the names the API gives them.
    private static readonly Dictionary<string, string> RegistryFields = new(StringComparer.Ordinal)
    {
        ["modelName"] = "name",
        ["ModelName"] = "name",
        ["alias"] = "alias",
        ["version"] = "version",
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        var problem = exception switch
        {
            InvalidRequestException e => FieldProblem(e.StatusCode, e.Title, e.Field, e.Message),
            ModelPackageException e => FieldProblem(StatusCodes.Status400BadRequest, "Invalid package", "package", e.Message, "The package was rejected and nothing was registered."),
            RegistryException e => Refused(e),
            DeploymentConflictException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message },
            DeploymentNotFoundException e => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = e.Message },
            BadHttpRequestException e => FieldProblem(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Invalid request", "body", e.Message),
            _ when StoreFaults.Classify(exception) is { } fault => StoreProblem(httpContext, exception, fault),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds what a 415 from routing (a Content-Type the route does not accept) leaves out: what is wrong, under
    /// "errors", like every other client error.
    /// </summary>
    public static void DescribeUnsupportedMediaType(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
        {
            var message = $"has Content-Type '{context.HttpContext.Request.ContentType}', which this route does not accept (see /openapi/v1.json)";
            context.ProblemDetails.Detail = "body " + message;
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [message] };
        }
    }

    private ProblemDetails StoreProblem(HttpContext context, Exception exception, StoreFault fault)
    {
        var cause = StoreWriteStatus.Describe(fault, exception);
        LogStoreFault(logger, fault, context.Request.Method, context.Request.Path.Value ?? "", exception);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Store unavailable",
            Detail = $"The store cannot be used: {cause}. Nothing was changed; retry once it is fixed.",
        };
    }

    private static ProblemDetails Refused(RegistryException e) => e.Kind switch
    {
        RegistryErrorKind.NotFound => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = e.Message },
        RegistryErrorKind.Conflict => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message },
        _ when RegistryFields.TryGetValue(e.Message.Split(' ', 2)[0], out var field) => FieldProblem(StatusCodes.Status400BadRequest, "Invalid request", field, e.Message, e.Message),
        _ => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Invalid request", Detail = e.Message },
    };

    private static HttpValidationProblemDetails FieldProblem(int status, string title, string field, string message, string? detail = null) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = title,
            Detail = detail ?? $"{field} {message}",
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the store cannot be used ({Fault})")]
    private static partial void LogStoreFault(ILogger logger, StoreFault fault, string method, string path, Exception exception);
}
