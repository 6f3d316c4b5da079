using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace LeadScoring.Server.Scoring;

/// <summary>A request body that cannot be used: the field at fault ("body" for the body as a whole), why, and whether it is only too large.</summary>
internal readonly record struct BodyError(string Field, string Message, bool TooLarge = false);

/// <summary>
/// Reads a JSON request body with a size limit. Every way a body can be malformed ends here as a
/// <see cref="BodyError"/>, so a document handed on can be read with any JsonElement accessor without throwing.
/// </summary>
internal static class RequestBody
{
    private const string Body = "body";

    /// <summary>
    /// The body as a JSON document, or the error: too large (<see cref="BodyError.TooLarge"/>), unreadable, empty (the
    /// message says to send <paramref name="expected"/>), not UTF-8, not JSON, or holding an undecodable string.
    /// </summary>
    public static async Task<(JsonDocument? Document, BodyError Error)> ReadJsonAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken, string expected = "a JSON object")
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, new(Body, $"is {request.ContentLength} bytes; the limit is {maxBytes}", TooLarge: true));
        }

        // Kestrel's own limit (30 MB by default) must not cut a larger configured limit short.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit && kestrelLimit.MaxRequestBodySize < maxBytes + 1L)
        {
            kestrelLimit.MaxRequestBodySize = maxBytes + 1L;
        }

        ReadOnlyMemory<byte>? bytes;
        try
        {
            bytes = await ReadBoundedAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel refusing the body (a broken chunked encoding, a body shorter than its Content-Length).
            return (null, new(Body, $"could not be read: {e.Message}"));
        }

        if (bytes is not { } json)
        {
            return (null, new(Body, $"exceeds the limit of {maxBytes} bytes", TooLarge: true));
        }

        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.IsEmpty)
        {
            return (null, new(Body, $"is empty; send {expected}"));
        }

        // JsonDocument defers decoding strings; reject bad bytes here so no handler meets them later.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            return (null, new(Body, "is not valid UTF-8"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return (null, new(Body, $"is not valid JSON: {e.Message}"));
        }

        // Valid UTF-8 can still spell invalid UTF-16 with an escape ("\ud800" alone), which makes GetString and
        // JsonProperty.Name throw. Only a body holding "\u" can have one, so the walk is skipped otherwise.
        if (json.Span.IndexOf("\\u"u8) >= 0 && FirstUndecodable(document.RootElement, "") is { } undecodable)
        {
            document.Dispose();
            return (null, undecodable);
        }

        return (document, default);
    }

    /// <summary>
    /// The body's bytes, read as they arrive and never past <paramref name="maxBytes"/>: null when it holds more.
    /// Sized up front from Content-Length when the caller sent one.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)Math.Min(length, maxBytes + 1L) : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The first string or property name under <paramref name="element"/> that does not decode to valid UTF-16
    /// (an unpaired surrogate escape), named by its path; null when every one decodes.
    /// </summary>
    public static BodyError? FirstUndecodable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !Decodes(element):
                return new(path.Length == 0 ? Body : path, "is not valid text: it holds an unpaired surrogate escape (\\uD800–\\uDFFF)");
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Decodes(property, out var name))
                    {
                        var raw = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property));
                        return new(Field(path, raw), "is not a valid name: it holds an unpaired surrogate escape (\\uD800–\\uDFFF)");
                    }

                    if (FirstUndecodable(property.Value, Field(path, name)) is { } inner)
                    {
                        return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUndecodable(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                break;
        }

        return null;
    }

    private static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool Decodes(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Decodes(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
