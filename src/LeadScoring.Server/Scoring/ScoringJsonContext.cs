using System.Text.Json.Serialization;

namespace LeadScoring.Server.Scoring;

/// <summary>Compile-time JSON metadata for the hot-path responses (no reflection per request).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ScoreLeadResponse))]
[JsonSerializable(typeof(ScoreLeadResponse[]))]
internal sealed partial class ScoringJsonContext : JsonSerializerContext;
