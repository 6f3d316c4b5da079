using System.Buffers;
using System.Text.Json;

namespace LeadScoring.Server.Scoring;

/// <summary>Reads a JSON request body with a size limit, turning every failure into a field error for "body".</summary>
internal static class RequestBody
{
    public static async Task<(JsonDocument? Document, string? Error)> ReadJsonAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, $"is {request.ContentLength} bytes; the limit is {maxBytes}");
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return (null, $"exceeds the limit of {maxBytes} bytes");
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, "is empty; send a JSON object");
        }

        // JsonDocument defers decoding strings; reject bad bytes here so no handler meets them later.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.WrittenSpan))
        {
            return (null, "is not valid UTF-8");
        }

        try
        {
            return (JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException e)
        {
            return (null, $"is not valid JSON: {e.Message}");
        }
    }
}
