using System.Text.Json;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;

namespace LeadScoring.Server.Scoring;

/// <summary>
/// Checks a lead in a scoring request against the served model's schema and turns it into feature values.
/// Every problem is collected under the field it concerns ("lead_id", "features.TotalVisits", "[3].features"),
/// so one 400 response tells the caller everything to fix. The document's strings are known to decode
/// (<see cref="RequestBody"/> checked them), so reading names and values here cannot throw.
/// </summary>
internal static class ScoreRequestParser
{
    public const int MaxLeadIdLength = 200;
    public const int MaxTextLength = 500;

    public static (string LeadId, LeadFeatures Features)? Parse(JsonElement lead, LeadSchema schema, string prefix, Dictionary<string, List<string>> errors)
    {
        if (lead.ValueKind != JsonValueKind.Object)
        {
            Add(errors, prefix.Length == 0 ? "$" : prefix, "must be an object with lead_id and features");
            return null;
        }

        var before = errors.Count;
        string? leadId = null;
        var sawLeadId = false;
        JsonElement? features = null;
        foreach (var property in lead.EnumerateObject())
        {
            switch (property.Name)
            {
                case "lead_id" when sawLeadId:
                case "features" when features is not null:
                    Add(errors, Key(prefix, property.Name), "is given more than once");
                    break;
                case "lead_id":
                    sawLeadId = true;
                    leadId = ParseLeadId(property.Value, prefix, errors);
                    break;
                case "features":
                    features = property.Value;
                    break;
                default:
                    Add(errors, Key(prefix, property.Name), "is not a field of a scoring request (expected lead_id and features)");
                    break;
            }
        }

        if (!sawLeadId)
        {
            Add(errors, Key(prefix, "lead_id"), "is required");
        }

        var values = new LeadFeatures(schema.Features.Count);
        if (features is not { } featureObject)
        {
            Add(errors, Key(prefix, "features"), "is required: an object with a value for every feature of the model (see GET /model)");
            return null;
        }

        if (featureObject.ValueKind != JsonValueKind.Object)
        {
            Add(errors, Key(prefix, "features"), "must be an object mapping feature names to values");
            return null;
        }

        var seen = new bool[schema.Features.Count];
        foreach (var property in featureObject.EnumerateObject())
        {
            var key = Key(prefix, "features." + property.Name);
            var index = schema.IndexOf(property.Name);
            if (index < 0)
            {
                var hint = NameSuggestions.Closest(property.Name, schema.Features.Select(f => f.Name));
                Add(errors, key, hint is null ? "is not a feature of this model (see GET /model)" : $"is not a feature of this model; did you mean '{hint}'?");
                continue;
            }

            if (seen[index])
            {
                Add(errors, key, "is given more than once");
                continue;
            }

            seen[index] = true;
            ParseValue(property.Value, schema, index, values, key, errors);
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                Add(errors, Key(prefix, "features." + schema.Features[f].Name), $"is required ({Expected(schema.Features[f].Type)}; send null when unknown)");
            }
        }

        return errors.Count == before && leadId is not null ? (leadId, values) : null;
    }

    private static string? ParseLeadId(JsonElement value, string prefix, Dictionary<string, List<string>> errors)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } id || string.IsNullOrWhiteSpace(id))
        {
            Add(errors, Key(prefix, "lead_id"), "must be a non-empty string");
            return null;
        }

        if (id.Length > MaxLeadIdLength)
        {
            Add(errors, Key(prefix, "lead_id"), $"must be at most {MaxLeadIdLength} characters");
            return null;
        }

        return id;
    }

    private static void ParseValue(JsonElement value, LeadSchema schema, int index, LeadFeatures values, string key, Dictionary<string, List<string>> errors)
    {
        var type = schema.Features[index].Type;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        switch (type)
        {
            case FeatureType.Numeric when value.ValueKind == JsonValueKind.Number:
                if (value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    values.Numbers[index] = number;
                }
                else
                {
                    Add(errors, key, "must be a finite number");
                }

                break;
            case FeatureType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                values.Numbers[index] = value.ValueKind == JsonValueKind.True ? 1 : 0;
                break;
            case FeatureType.Boolean when value.ValueKind == JsonValueKind.String && FieldParser.TryParseBoolean(value.GetString(), out var flag):
                values.Numbers[index] = flag ? 1 : 0;
                break;
            case FeatureType.Categorical when value.ValueKind == JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length > MaxTextLength)
                {
                    Add(errors, key, $"must be at most {MaxTextLength} characters");
                }
                else
                {
                    values.Categories[index] = schema.IsMissing(text) ? null : text.Trim();
                }

                break;
            default:
                Add(errors, key, $"must be {Expected(type)} or null");
                break;
        }
    }

    private static string Expected(FeatureType type) => type switch
    {
        FeatureType.Numeric => "a number",
        FeatureType.Boolean => "true or false",
        _ => "a string",
    };

    private static string Key(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";

    internal static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
