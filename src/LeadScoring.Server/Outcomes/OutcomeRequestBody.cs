using System.Globalization;
using System.Text.Json;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Scoring;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// Reads a POST /outcomes body through the scoring routes' reader (<see cref="RequestBody.ReadJsonAsync"/>): 413
/// beyond the limit (whether Content-Length says so up front or a chunked body runs over), 400 naming "body" when it
/// is not JSON, not UTF-8 or holds an unpaired surrogate escape, so the parser can read any string without throwing.
/// </summary>
internal static class OutcomeRequestBody
{
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var (document, error) = await RequestBody.ReadJsonAsync(request, maxBytes, cancellationToken, "an outcome object or an array of them").ConfigureAwait(false);
        return document ?? throw (error.TooLarge
            ? new InvalidRequestException(
                error.Field,
                string.Create(CultureInfo.InvariantCulture, $"{error.Message} ({OutcomesOptions.SectionName}:{nameof(OutcomesOptions.MaxRequestBytes)}); send at most {maxBytes} bytes per request"),
                "Request body too large",
                StatusCodes.Status413PayloadTooLarge)
            : new InvalidRequestException(error.Field, error.Message));
    }
}
