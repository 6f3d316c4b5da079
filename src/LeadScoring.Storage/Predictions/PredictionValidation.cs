using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Storage.Predictions;

/// <summary>
/// Checks a batch before anything is written, so a bad record is the caller's bug named by index and field (an
/// <see cref="ArgumentException"/>), never a half-written batch or a store fault.
/// </summary>
internal static class PredictionValidation
{
    public static void Validate(IReadOnlyList<PredictionRecord> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var i = 0; i < batch.Count; i++)
        {
            if (Problem(batch[i]) is string problem)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"batch[{i}].{problem}"), nameof(batch));
            }
        }
    }

    /// <summary>"Field must …" for the first problem of <paramref name="record"/>, or null when it can be logged.</summary>
    private static string? Problem(PredictionRecord? record) => record switch
    {
        null => "record must not be null",
        { RequestId: var v } when string.IsNullOrWhiteSpace(v) => "RequestId must not be empty",
        { LeadId: var v } when string.IsNullOrWhiteSpace(v) => "LeadId must not be empty",
        { ModelName: var v } when string.IsNullOrWhiteSpace(v) => "ModelName must not be empty",
        { ModelVersion: < 1 } => "ModelVersion must be 1 or more",
        { Arm: var v } when v is null || !ServingArms.All.Contains(v) => "Arm must be champion, challenger or shadow",
        { Score: var v } when !IsProbability(v) => "Score must be a number in [0, 1]",
        { Band: var v } when string.IsNullOrWhiteSpace(v) => "Band must not be empty",
        { LatencyMicroseconds: < 0 } => "LatencyMicroseconds must not be negative",
        { ShadowModelVersion: null, ShadowScore: not null } or { ShadowModelVersion: not null, ShadowScore: null } =>
            "ShadowModelVersion and ShadowScore must be set together",
        { ShadowModelVersion: < 1 } => "ShadowModelVersion must be 1 or more",
        { ShadowScore: double v } when !IsProbability(v) => "ShadowScore must be a number in [0, 1]",
        { FeaturesJson: var v } when !IsFlatJsonObject(v) => "FeaturesJson must be a JSON object of numbers, strings, booleans and nulls",
        _ => null,
    };

    private static bool IsProbability(double value) => value is >= 0 and <= 1;

    /// <summary>A JSON object whose values are all scalars (what a validated lead's features are).</summary>
    private static bool IsFlatJsonObject(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        // On the log writer's one thread for every row: a pooled buffer, not a new array per record.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, Encoding.UTF8.GetBytes(json, buffer)));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                {
                    return false;
                }
            }

            // The object's end, and nothing after it.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
