using System.Buffers;
using System.Text;
using System.Text.Json;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Features;

/// <summary>
/// The one JSON form of a lead's validated features, as the prediction log keeps them: a flat object in schema order,
/// one property per feature (numbers as shortest round-trip numbers, booleans as true/false, categories as their
/// trimmed text, missing as null). <see cref="Read"/> turns it back into the exact same values, so a logged lead can
/// be re-scored (replay) and exported column by column.
/// </summary>
public static class LeadFeaturesJson
{
    // One buffer and writer per thread, reset for every lead: every logged request writes one, so allocating them
    // per lead showed in the serving profile. Write never yields, so a thread's pair is never used twice at once.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The features of <paramref name="features"/> under <paramref name="schema"/>'s names.</summary>
    public static string Write(LeadFeatures features, LeadSchema schema)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(schema);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            for (var i = 0; i < schema.Features.Count; i++)
            {
                var feature = schema.Features[i];
                writer.WritePropertyName(feature.Name);
                switch (feature.Type)
                {
                    case FeatureType.Categorical when features.Categories[i] is { } text:
                        writer.WriteStringValue(text);
                        break;
                    case FeatureType.Boolean when !double.IsNaN(features.Numbers[i]):
                        writer.WriteBooleanValue(features.Numbers[i] != 0);
                        break;
                    case FeatureType.Numeric when !double.IsNaN(features.Numbers[i]):
                        writer.WriteNumberValue(features.Numbers[i]);
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            // Both are reset before each use (a throw mid-object leaves nothing behind); don't keep a huge buffer.
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>
    /// The values <paramref name="json"/> (written by <see cref="Write"/>) holds for <paramref name="schema"/>'s
    /// features. A feature the JSON lacks is missing; a property that is not a feature, or a value of the wrong kind,
    /// is a <see cref="FormatException"/> naming it (the log only holds what <see cref="Write"/> wrote).
    /// </summary>
    public static LeadFeatures Read(string json, LeadSchema schema)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(schema);
        var features = new LeadFeatures(schema.Features.Count);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("logged features must be a JSON object");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            var index = schema.IndexOf(property.Name);
            if (index < 0)
            {
                throw new FormatException($"logged feature '{property.Name}' is not in the model's schema");
            }

            var value = property.Value;
            switch (schema.Features[index].Type)
            {
                case var _ when value.ValueKind == JsonValueKind.Null:
                    break;
                case FeatureType.Categorical when value.ValueKind == JsonValueKind.String:
                    features.Categories[index] = value.GetString();
                    break;
                case FeatureType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    features.Numbers[index] = value.ValueKind == JsonValueKind.True ? 1 : 0;
                    break;
                case FeatureType.Numeric when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number):
                    features.Numbers[index] = number;
                    break;
                default:
                    throw new FormatException($"logged feature '{property.Name}' holds {value.ValueKind}, not a {schema.Features[index].Type} value");
            }
        }

        return features;
    }
}
