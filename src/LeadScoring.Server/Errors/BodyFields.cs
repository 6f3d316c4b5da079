using System.Globalization;
using System.Text.Json;

namespace LeadScoring.Server.Errors;

/// <summary>The fields of an admin route's JSON body read the same way everywhere; a bad one is an <see cref="InvalidRequestException"/> naming it.</summary>
internal static class BodyFields
{
    /// <summary>A string field: null when absent or null; a non-string, or a blank or too long text, is refused.</summary>
    public static string? Text(JsonElement body, string field, int maxLength)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidRequestException(field, "must be a string");
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidRequestException(field, "must not be blank");
        }

        return text.Length <= maxLength ? text : throw new InvalidRequestException(field, string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters; the limit is {maxLength}"));
    }
}
