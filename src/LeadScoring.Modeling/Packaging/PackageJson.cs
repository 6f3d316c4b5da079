using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Core.Schema;

namespace LeadScoring.Modeling.Packaging;

/// <summary>JSON settings for package files: snake_case keys, enums as strings, the schema in its own file format.</summary>
public static class PackageJson
{
    /// <summary>The options every package file is read and written with.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new SchemaConverter() },
    };

    private sealed class SchemaConverter : JsonConverter<LeadSchema>
    {
        public override LeadSchema Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return SchemaJson.Parse(document.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, LeadSchema value, JsonSerializerOptions options) =>
            writer.WriteRawValue(SchemaJson.ToJson(value));
    }
}
