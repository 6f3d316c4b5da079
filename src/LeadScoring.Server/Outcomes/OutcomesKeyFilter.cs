using System.Text;
using LeadScoring.Server.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Outcomes;

/// <summary>The configured ingest key, compared in constant time; matches nothing when none is configured.</summary>
public sealed class IngestKey(IOptions<IngestOptions> options)
{
    private readonly byte[]? _key = options.Value.Key is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <summary>True when <paramref name="candidate"/> is the ingest key; never for an empty candidate or without a key.</summary>
    public bool Matches(string? candidate) => AdminKey.Matches(_key, candidate);
}

/// <summary>
/// Lets a request through with the admin key or the ingest key in X-Api-Key (a 401 problem otherwise), and
/// records which one it was for the outcome's source.
/// </summary>
public sealed class OutcomesKeyFilter(AdminKey admin, IngestKey ingest) : IEndpointFilter
{
    /// <summary>The <see cref="HttpContext.Items"/> key holding "admin" or "ingest".</summary>
    public const string KeyKindItem = "LeadScoring.Outcomes.KeyKind";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var supplied = context.HttpContext.Request.Headers[AdminKeyFilter.Header].ToString();
        // Both compared every time, so the time taken does not say which key came close.
        var isAdmin = admin.Matches(supplied);
        var isIngest = ingest.Matches(supplied);
        if (isAdmin || isIngest)
        {
            context.HttpContext.Items[KeyKindItem] = isAdmin ? "admin" : "ingest";
            return next(context);
        }

        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: supplied.Length == 0
                ? $"Send the admin key or the ingest key in the {AdminKeyFilter.Header} header."
                : $"The {AdminKeyFilter.Header} header holds neither the admin key nor the ingest key."));
    }

    /// <summary>Who sent the request, for the outcome's source: "api:" + X-Actor, or "api:admin" / "api:ingest" by the key.</summary>
    public static string Source(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Headers[AdminRequests.ActorHeader].ToString().Trim().Length > 0
            ? AdminRequests.Actor(context)
            : "api:" + (context.Items[KeyKindItem] as string ?? "admin");
    }
}
