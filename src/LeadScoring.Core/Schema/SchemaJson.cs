using System.Text;
using System.Text.Json;

namespace LeadScoring.Core.Schema;

/// <summary>Reads and writes the schema file format (JSON, snake_case keys; unknown keys are ignored).</summary>
public static class SchemaJson
{
    /// <summary>Parses and checks a schema; throws <see cref="SchemaException"/> naming the offending key.</summary>
    public static LeadSchema Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SchemaException($"schema: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaException("schema: the top level must be a JSON object");
            }

            var name = RequiredString(root, "name");
            var id = OptionalString(root, "id");
            var label = RequiredString(root, "label");
            var positive = OptionalStringList(root, "positive") ?? LeadSchema.DefaultPositiveValues;
            if (positive.Count == 0)
            {
                throw new SchemaException("schema: 'positive' must list at least one label value");
            }

            var negative = OptionalStringList(root, "negative");
            var timestamp = OptionalString(root, "timestamp");
            var revenue = OptionalString(root, "revenue");
            var delimiter = ParseDelimiter(OptionalString(root, "delimiter"));
            var missing = OptionalStringList(root, "missing_values") ?? LeadSchema.DefaultMissingValues;
            var features = ParseFeatures(root);
            var exclude = ParseExclude(root);

            var schema = new LeadSchema(name, id, label, positive, negative, timestamp, revenue, delimiter, features, exclude, missing);
            Check(schema);
            return schema;
        }
    }

    /// <summary>Writes the schema in the same format <see cref="Parse"/> reads, indented.</summary>
    public static string ToJson(LeadSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", schema.Name);
            WriteNullable(w, "id", schema.Id);
            w.WriteString("label", schema.Label);
            WriteList(w, "positive", schema.Positive);
            if (schema.Negative is not null)
            {
                WriteList(w, "negative", schema.Negative);
            }

            WriteNullable(w, "timestamp", schema.Timestamp);
            if (schema.Revenue is not null)
            {
                w.WriteString("revenue", schema.Revenue);
            }

            if (schema.Delimiter is { } d)
            {
                w.WriteString("delimiter", d == '\t' ? "tab" : d.ToString());
            }

            WriteList(w, "missing_values", schema.MissingValues);
            w.WriteStartArray("features");
            foreach (var f in schema.Features)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("type", TypeName(f.Type));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("exclude");
            foreach (var e in schema.Exclude)
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("reason", e.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The schema file's word for a feature type.</summary>
    public static string TypeName(FeatureType type) => type switch
    {
        FeatureType.Numeric => "numeric",
        FeatureType.Categorical => "categorical",
        FeatureType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static void Check(LeadSchema schema)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in schema.Features)
        {
            if (!seen.Add(f.Name))
            {
                throw new SchemaException($"schema: feature '{f.Name}' is listed twice");
            }
        }

        foreach (var (role, column) in new[] { ("label", schema.Label), ("id", schema.Id), ("timestamp", schema.Timestamp), ("revenue", schema.Revenue) })
        {
            if (column is not null && seen.Contains(column))
            {
                throw new SchemaException($"schema: column '{column}' is the {role} and cannot also be a feature");
            }
        }

        foreach (var e in schema.Exclude)
        {
            if (seen.Contains(e.Name))
            {
                throw new SchemaException($"schema: column '{e.Name}' is both a feature and excluded");
            }
        }

        if (schema.Negative is not null && schema.Negative.Any(schema.IsPositive))
        {
            throw new SchemaException("schema: a label value is listed as both positive and negative");
        }
    }

    private static List<FeatureSpec> ParseFeatures(JsonElement root)
    {
        if (!root.TryGetProperty("features", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaException("schema: 'features' must be an array of {\"name\", \"type\"} objects");
        }

        var features = new List<FeatureSpec>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var where = $"features[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaException($"schema: {where} must be an object with 'name' and 'type'");
            }

            var name = RequiredString(item, "name", where);
            var typeText = RequiredString(item, "type", where);
            var type = typeText.ToUpperInvariant() switch
            {
                "NUMERIC" => FeatureType.Numeric,
                "CATEGORICAL" => FeatureType.Categorical,
                "BOOLEAN" => FeatureType.Boolean,
                _ => throw new SchemaException($"schema: {where}.type is '{typeText}'; expected numeric, categorical or boolean"),
            };
            features.Add(new FeatureSpec(name, type));
            index++;
        }

        if (features.Count == 0)
        {
            throw new SchemaException("schema: 'features' must list at least one feature");
        }

        return features;
    }

    private static List<ExcludedColumn> ParseExclude(JsonElement root)
    {
        var result = new List<ExcludedColumn>();
        if (!root.TryGetProperty("exclude", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaException("schema: 'exclude' must be an array");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            // Both {"name", "reason"} objects and bare column names are accepted.
            result.Add(item.ValueKind switch
            {
                JsonValueKind.String => new ExcludedColumn(item.GetString()!, ""),
                JsonValueKind.Object => new ExcludedColumn(RequiredString(item, "name", $"exclude[{index}]"), OptionalString(item, "reason") ?? ""),
                _ => throw new SchemaException($"schema: exclude[{index}] must be an object with 'name' and 'reason'"),
            });
            index++;
        }

        return result;
    }

    private static char? ParseDelimiter(string? text) => text switch
    {
        null => null,
        "," => ',',
        ";" => ';',
        "\t" or "tab" or "\\t" => '\t',
        "|" => '|',
        _ => throw new SchemaException($"schema: 'delimiter' is '{text}'; expected ',', ';', '|' or tab"),
    };

    private static string RequiredString(JsonElement obj, string key, string? where = null)
    {
        var value = OptionalString(obj, key, where);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SchemaException($"schema: {Path(where, key)} is required and must be a non-empty string");
        }

        return value;
    }

    private static string? OptionalString(JsonElement obj, string key, string? where = null)
    {
        if (!obj.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new SchemaException($"schema: {Path(where, key)} must be a string or null");
        }

        return value.GetString();
    }

    private static List<string>? OptionalStringList(JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new SchemaException($"schema: '{key}' must be an array of strings");
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    private static string Path(string? where, string key) => where is null ? $"'{key}'" : $"{where}.{key}";

    private static void WriteNullable(Utf8JsonWriter w, string key, string? value)
    {
        if (value is null)
        {
            w.WriteNull(key);
        }
        else
        {
            w.WriteString(key, value);
        }
    }

    private static void WriteList(Utf8JsonWriter w, string key, IEnumerable<string> values)
    {
        w.WriteStartArray(key);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
