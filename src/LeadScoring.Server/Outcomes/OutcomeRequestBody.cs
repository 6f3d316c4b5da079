using System.Globalization;
using System.Text.Json;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Scoring;
using Microsoft.AspNetCore.Http.Features;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// Reads a POST /outcomes body through the scoring routes' bounded reader: 413 beyond the limit (whether
/// Content-Length says so up front or a chunked body runs over), 400 naming "body" when it is not JSON, not UTF-8
/// or holds an unpaired surrogate escape, so the parser can read any string without throwing.
/// </summary>
internal static class OutcomeRequestBody
{
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(Invariant($"is {request.ContentLength} bytes; the limit is {maxBytes}"), maxBytes);
        }

        // Kestrel's own limit (30 MB by default) must not cut a larger configured limit short.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit && kestrelLimit.MaxRequestBodySize < maxBytes + 1L)
        {
            kestrelLimit.MaxRequestBodySize = maxBytes + 1L;
        }

        ReadOnlyMemory<byte> json;
        try
        {
            json = await RequestBody.ReadBoundedAsync(request, maxBytes, cancellationToken).ConfigureAwait(false)
                ?? throw TooLarge(Invariant($"exceeds the limit of {maxBytes} bytes"), maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            throw new InvalidRequestException("body", $"could not be read: {e.Message}");
        }

        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.IsEmpty)
        {
            throw new InvalidRequestException("body", "is empty; send an outcome object or an array of them");
        }

        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw new InvalidRequestException("body", "is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException("body", $"is not valid JSON: {e.Message}");
        }

        if (json.Span.IndexOf("\\u"u8) >= 0 && RequestBody.FirstUndecodable(document.RootElement, "") is { } undecodable)
        {
            document.Dispose();
            throw new InvalidRequestException(undecodable.Field, undecodable.Message);
        }

        return document;
    }

    private static InvalidRequestException TooLarge(string message, int maxBytes) => new(
        "body",
        Invariant($"{message} ({OutcomesOptions.SectionName}:{nameof(OutcomesOptions.MaxRequestBytes)}); send at most {maxBytes} bytes per request"),
        "Request body too large",
        StatusCodes.Status413PayloadTooLarge);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
