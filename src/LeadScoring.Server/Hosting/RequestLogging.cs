using System.Diagnostics;
using LeadScoring.Server.Alerting.Operations;
using LeadScoring.Server.Scoring;

namespace LeadScoring.Server.Hosting;

/// <summary>
/// One structured log line per request (method, path, status, duration, request id, and the model version
/// that scored it), and the request id echoed in X-Request-Id. A caller's own X-Request-Id is kept when it
/// is short and plain, so CRM logs and ours line up.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, LiveScoringCounters live, ILogger<RequestLogging> logger)
{
    /// <summary>The request id header.</summary>
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incoming = context.Request.Headers[Header].ToString();
        if (incoming.Length is > 0 and <= 100 && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            context.TraceIdentifier = incoming;
        }

        context.Response.Headers[Header] = context.TraceIdentifier;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var scoredBy = context.Features.Get<IScoredByFeature>();
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Value is "/score-lead" or "/score-leads")
            {
                // What the error-rate and latency rules read; a client's 4xx is the client's error, not the service's.
                live.Record(elapsed, context.Response.StatusCode >= StatusCodes.Status500InternalServerError);
            }


            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, elapsed, context.TraceIdentifier, scoredBy?.ModelName, scoredBy?.ModelVersion);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMs:F3} ms request={RequestId} model={Model} model_version={ModelVersion}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string requestId, string? model, int? modelVersion);
}
