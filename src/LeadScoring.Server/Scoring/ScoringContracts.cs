using System.Text.Json;

namespace LeadScoring.Server.Scoring;

/// <summary>A lead to score: its id in your CRM and its feature values by schema feature name (GET /model lists them).</summary>
/// <param name="LeadId">Your id for the lead, echoed back.</param>
/// <param name="Features">Every schema feature: numbers for numeric features, strings for categorical ones, true/false for booleans; null when unknown.</param>
public sealed record ScoreLeadRequest(string LeadId, IReadOnlyDictionary<string, JsonElement> Features);

/// <summary>The served model: name and registry version.</summary>
public sealed record ModelRef(string Name, int Version) : IScoredByFeature
{
    string IScoredByFeature.ModelName => Name;

    int IScoredByFeature.ModelVersion => Version;
}

/// <summary>A scored lead.</summary>
/// <param name="LeadId">The id you sent.</param>
/// <param name="Score">Calibrated probability that the lead converts.</param>
/// <param name="Bucket">The score band (e.g. hot, warm, cold).</param>
/// <param name="Model">The model version that scored it.</param>
/// <param name="Arm">Which arm of the deployment answered: "champion" (the Production model) or "challenger" (a version under an A/B or canary test).</param>
/// <param name="RequestId">This request's id (also in the X-Request-Id header and the request log).</param>
public sealed record ScoreLeadResponse(string LeadId, double Score, string Bucket, ModelRef Model, string Arm, string RequestId);
