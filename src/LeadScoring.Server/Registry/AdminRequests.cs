using System.Globalization;
using System.Text.Json;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Scoring;
using Microsoft.AspNetCore.Http.Features;

namespace LeadScoring.Server.Registry;

/// <summary>
/// Reads and checks what an admin request carries: the acting person (X-Actor), reasons and descriptions, the
/// JSON bodies of the stage, alias and rollback routes, and a package upload. Every problem is an
/// <see cref="InvalidRequestException"/> naming the field, so handlers stay straight-line code.
/// </summary>
internal static class AdminRequests
{
    /// <summary>Header naming the person acting, recorded in the audit log.</summary>
    public const string ActorHeader = "X-Actor";

    /// <summary>Longest X-Actor value.</summary>
    public const int MaxActorLength = 100;

    private const string JsonMediaType = "application/json";

    /// <summary>The actor for the audit log: "api:" + X-Actor, or "api:admin" when the header is absent or blank.</summary>
    public static string Actor(HttpContext context)
    {
        var named = context.Request.Headers[ActorHeader].ToString().Trim();
        if (named.Length > MaxActorLength)
        {
            throw new InvalidRequestException(ActorHeader, Invariant($"is {named.Length} characters; the limit is {MaxActorLength}"), "Invalid header");
        }

        return named.Length > 0 ? "api:" + named : "api:admin";
    }

    /// <summary>Refuses a reason or description longer than <paramref name="maxLength"/> characters.</summary>
    public static void CheckLength(string field, string? text, int maxLength)
    {
        if (text?.Length > maxLength)
        {
            throw new InvalidRequestException(field, Invariant($"is {text.Length} characters; the limit is {maxLength}"));
        }
    }

    /// <summary>POST …/stage: <c>{"stage": "Production", "reason": "…"}</c>.</summary>
    public static async Task<TransitionRequest> ReadTransitionAsync(HttpRequest request, int maxReasonLength, CancellationToken cancellationToken)
    {
        var body = (await ReadObjectAsync(request, maxReasonLength, optional: false, cancellationToken))!.Value;
        OnlyFields(body, "stage", "reason");
        var stage = body.TryGetProperty("stage", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidRequestException("stage", "is required: a string (None, Staging, Production or Archived)");
        return new TransitionRequest(stage, Reason(body, maxReasonLength));
    }

    /// <summary>PUT …/aliases/{alias}: <c>{"version": 3, "reason": "…"}</c>.</summary>
    public static async Task<AliasRequest> ReadAliasAsync(HttpRequest request, int maxReasonLength, CancellationToken cancellationToken)
    {
        var body = (await ReadObjectAsync(request, maxReasonLength, optional: false, cancellationToken))!.Value;
        OnlyFields(body, "version", "reason");
        var version = body.TryGetProperty("version", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new InvalidRequestException("version", "is required: a whole number");
        return new AliasRequest(version, Reason(body, maxReasonLength));
    }

    /// <summary>POST …/rollback: an optional <c>{"reason": "…"}</c>.</summary>
    public static async Task<RollbackRequest> ReadRollbackAsync(HttpRequest request, int maxReasonLength, CancellationToken cancellationToken)
    {
        if (await ReadObjectAsync(request, maxReasonLength, optional: true, cancellationToken) is not { } body)
        {
            return new RollbackRequest(null);
        }

        OnlyFields(body, "reason");
        return new RollbackRequest(Reason(body, maxReasonLength));
    }

    /// <summary>
    /// Reads a package archive of at most <paramref name="maxBytes"/>, into one array: 413 beyond it, whether the
    /// Content-Length says so up front or a chunked body runs over.
    /// </summary>
    public static async Task<byte[]> ReadPackageAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // Kestrel's default cap (30,000,000 bytes) holds for every route; this one's is the package limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            throw PackageTooLarge(Invariant($"is {request.ContentLength} bytes; the limit is {maxBytes}"));
        }

        try
        {
            var archive = request.ContentLength is { } length ? await ReadExactlyAsync(request.Body, (int)length, cancellationToken) : await ReadChunkedAsync(request, maxBytes, cancellationToken);
            return archive.Length > 0
                ? archive
                : throw new InvalidRequestException("package", "the body is empty; send the package archive (application/zip)", "Invalid package");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw PackageTooLarge(Invariant($"exceeds the limit of {maxBytes} bytes"));
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var archive = new byte[length];
        await body.ReadExactlyAsync(archive, cancellationToken).ConfigureAwait(false);
        return archive;
    }

    // A chunked upload has no length up front: it grows as it arrives, never past the limit.
    private static async Task<byte[]> ReadChunkedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken) =>
        await RequestBody.ReadBoundedAsync(request, checked((int)maxBytes), cancellationToken) is { } body
            ? body.ToArray()
            : throw PackageTooLarge(Invariant($"exceeds the limit of {maxBytes} bytes"));

    private static InvalidRequestException PackageTooLarge(string message) =>
        new("package", message + " (LeadScoring:Admin:MaxPackageBytes)", "Package too large", StatusCodes.Status413PayloadTooLarge);

    // A body is small: a stage or a version and a reason. Malformed bodies are named like the scoring routes name them.
    internal static async Task<JsonElement?> ReadObjectAsync(HttpRequest request, int maxReasonLength, bool optional, CancellationToken cancellationToken)
    {
        // Room for the longest reason even if every character is written as a \uXXXX escape.
        var maxBytes = (6 * maxReasonLength) + 4096;
        var bytes = await RequestBody.ReadBoundedAsync(request, maxBytes, cancellationToken)
            ?? throw new InvalidRequestException("body", Invariant($"exceeds the limit of {maxBytes} bytes"), "Request body too large", StatusCodes.Status413PayloadTooLarge);
        if (bytes.IsEmpty)
        {
            return optional ? null : throw new InvalidRequestException("body", "is empty; send a JSON object");
        }

        if (!IsJson(request.ContentType))
        {
            throw new InvalidRequestException("body", $"must be sent as {JsonMediaType} (Content-Type is '{request.ContentType}')", "Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw new InvalidRequestException("body", "is not valid UTF-8");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException("body", $"is not valid JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("body", "must be a JSON object");
        }

        // JSON escapes can spell text that is not valid UTF-16 ("\ud800"); reading it would throw later, so refuse it here.
        return RequestBody.FirstUndecodable(root, "") is null
            ? root
            : throw new InvalidRequestException("body", "holds text that is not valid Unicode (an unpaired surrogate escape)");
    }

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    internal static void OnlyFields(JsonElement body, params string[] known)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new InvalidRequestException(property.Name, $"is not a known field; expected {string.Join(", ", known)}");
            }
        }
    }

    internal static string? Reason(JsonElement body, int maxLength)
    {
        if (!body.TryGetProperty("reason", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidRequestException("reason", "must be a string or null");
        }

        var reason = value.GetString();
        CheckLength("reason", reason, maxLength);
        return reason;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
