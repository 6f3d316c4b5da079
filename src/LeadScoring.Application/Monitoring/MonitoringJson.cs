using System.Text.Json;

namespace LeadScoring.Application.Monitoring;

/// <summary>How monitoring documents are written: snake_case names, like every other JSON the platform answers.</summary>
public static class MonitoringJson
{
    /// <summary>The serializer options for <see cref="WindowReportDocument"/> and what embeds it.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>The document as JSON text.</summary>
    public static string Serialize(WindowReportDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Reads a document written by <see cref="Serialize"/>.</summary>
    public static WindowReportDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<WindowReportDocument>(json, Options) ?? throw new JsonException("the document is null");
}
