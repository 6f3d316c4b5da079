using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;

namespace LeadScoring.Application.Predictions;

/// <summary>
/// Reads a logged lead's features (<see cref="LeadFeaturesJson"/>) for a model that may not be the one that scored
/// it: the logged feature names must be exactly the model's, or the lead cannot be scored by it honestly (a feature
/// the log lacks would be scored as "missing", which the caller never said).
/// </summary>
public static class LoggedFeatures
{
    /// <summary>The features for <paramref name="schema"/>, or null with <paramref name="problem"/> saying why they do not fit it.</summary>
    public static LeadFeatures? TryRead(string featuresJson, LeadSchema schema, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(featuresJson);
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            var logged = Names(featuresJson);
            var missing = schema.Features.Select(f => f.Name).Where(n => !logged.Contains(n)).ToList();
            var unknown = logged.Where(n => schema.IndexOf(n) < 0).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                var parts = new List<string>();
                if (missing.Count > 0)
                {
                    parts.Add("the log lacks " + string.Join(", ", missing));
                }

                if (unknown.Count > 0)
                {
                    parts.Add("the model has no " + string.Join(", ", unknown));
                }

                problem = $"the logged features differ from the model's schema '{schema.Name}': {string.Join("; ", parts)}";
                return null;
            }

            problem = null;
            return LeadFeaturesJson.Read(featuresJson, schema);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            problem = $"the logged features cannot be read for schema '{schema.Name}': {e.Message}";
            return null;
        }
    }

    private static HashSet<string> Names(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("logged features must be a JSON object");
        }

        return document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }
}
