using System.Globalization;
using System.Text.Json;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// Reads POST /deployments' body into a <see cref="StartDeploymentBody"/>: every shape problem is an
/// <see cref="InvalidRequestException"/> naming the field by its JSON path ("steps[1].duration"). The rules of the
/// values (shares, step order, versions) are the use case's and the store's; <see cref="FieldOf"/> names their fields
/// the same way.
/// </summary>
internal static class DeploymentRequests
{
    private static readonly string[] Fields = ["model", "mode", "challenger_version", "share", "steps", "auto_promote", "reason"];

    public static async Task<StartDeploymentBody> ReadStartAsync(HttpRequest request, int maxReasonLength, CancellationToken cancellationToken)
    {
        var body = (await AdminRequests.ReadObjectAsync(request, maxReasonLength, optional: false, cancellationToken).ConfigureAwait(false))!.Value;
        AdminRequests.OnlyFields(body, Fields);
        var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : throw new InvalidRequestException("model", "is required: the registered model's name");
        var mode = body.TryGetProperty("mode", out var md) && md.ValueKind == JsonValueKind.String && DeploymentNames.TryParseMode(md.GetString(), out _)
            ? md.GetString()!
            : throw new InvalidRequestException("mode", "is required: single, shadow, ab or canary");
        return new StartDeploymentBody(
            model,
            mode,
            Optional<int>(body, "challenger_version", JsonValueKind.Number, "a whole number", e => e.TryGetInt32(out var v) ? v : null),
            Optional<double>(body, "share", JsonValueKind.Number, "a number", e => e.TryGetDouble(out var v) ? v : null),
            Steps(body),
            Optional<bool>(body, "auto_promote", JsonValueKind.True, "true or false", e => e.GetBoolean()),
            AdminRequests.Reason(body, maxReasonLength));
    }

    /// <summary>
    /// The JSON path of a field the use case or the store named (<see cref="ArgumentException.ParamName"/>):
    /// "ChallengerVersion" → "challenger_version", "Steps[1].Share" → "steps[1].share", "ModelName" → "model".
    /// </summary>
    public static string FieldOf(string? paramName) => paramName switch
    {
        null or "" => "body",
        "ModelName" => "model",
        "actor" or "Actor" => AdminRequests.ActorHeader,
        _ => string.Join('.', paramName.Split('.').Select(SnakeCase)),
    };

    private static string SnakeCase(string part)
    {
        var text = new System.Text.StringBuilder(part.Length + 4);
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (char.IsUpper(c) && i > 0 && char.IsLetter(part[i - 1]))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static T? Optional<T>(JsonElement body, string field, JsonValueKind kind, string expected, Func<JsonElement, T?> read)
        where T : struct
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var kindMatches = kind == JsonValueKind.True ? value.ValueKind is JsonValueKind.True or JsonValueKind.False : value.ValueKind == kind;
        return kindMatches && read(value) is { } result ? result : throw new InvalidRequestException(field, $"must be {expected} or null");
    }

    private static CanaryStepBody[]? Steps(JsonElement body)
    {
        if (!body.TryGetProperty("steps", out var steps) || steps.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (steps.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidRequestException("steps", "must be an array of {\"share\", \"duration\"} steps");
        }

        var parsed = new List<CanaryStepBody>();
        var index = 0;
        foreach (var step in steps.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"steps[{index}]");
            if (step.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidRequestException(path, "must be an object {\"share\", \"duration\"}");
            }

            foreach (var property in step.EnumerateObject())
            {
                if (property.Name is not ("share" or "duration"))
                {
                    throw new InvalidRequestException($"{path}.{property.Name}", "is not a known field; expected share, duration");
                }
            }

            var share = step.TryGetProperty("share", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetDouble(out var value)
                ? value
                : throw new InvalidRequestException($"{path}.share", "is required: a number in (0, 1]");
            string? duration = null;
            if (step.TryGetProperty("duration", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                duration = d.ValueKind == JsonValueKind.String && ParseDuration(d.GetString()) is not null
                    ? d.GetString()
                    : throw new InvalidRequestException($"{path}.duration", "must be a duration such as \"1.00:00:00\" (days.hours:minutes:seconds), or null on the last step");
            }

            parsed.Add(new CanaryStepBody(share, duration));
            index++;
        }

        return [.. parsed];
    }

    /// <summary>A step duration as written in a request ("1.00:00:00", "00:30:00"), or null when it is not one.</summary>
    public static TimeSpan? ParseDuration(string? text) =>
        TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var duration) ? duration : null;
}
