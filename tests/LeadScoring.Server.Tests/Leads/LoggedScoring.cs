using System.Net;
using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Leads;

/// <summary>
/// Scores a lead through POST /score-lead and puts the record the prediction-logging work writes for it into the
/// service's own log (until /score-lead logs by itself): the response's request id, lead, score, band and model
/// version, the features parsed as the route parses them and written by <see cref="LeadFeaturesJson"/>.
/// </summary>
internal static class LoggedScoring
{
    public static async Task<PredictionRecord> ScoreAsync(RunningService service, string leadJson)
    {
        var (status, body, _) = await Json.PostAsync(service.Client, "/score-lead", leadJson);
        Assert.Equal(HttpStatusCode.OK, status);
        var model = service.Services.GetRequiredService<ServingState>().Snapshot!.Champion;
        Assert.Equal(model.Version, body.GetProperty("model").GetProperty("version").GetInt32());

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using var lead = JsonDocument.Parse(leadJson);
        var (leadId, features) = ScoreRequestParser.Parse(lead.RootElement, model.Package.Schema, "", errors)!.Value;
        var score = body.GetProperty("score").GetDouble();
        Assert.Equal(model.Package.Scorer.Score(features), score);

        // The log keeps microseconds; so does the record returned, so it compares equal to what is read back.
        var now = TimeProvider.System.GetUtcNow();
        var record = new PredictionRecord(
            body.GetProperty("request_id").GetString()!,
            leadId,
            now.AddTicks(-(now.Ticks % 10)),
            model.Name,
            model.Version,
            ServingArms.Champion,
            score,
            body.GetProperty("bucket").GetString()!,
            LatencyMicroseconds: 150,
            LeadFeaturesJson.Write(features, model.Package.Schema));
        await service.Services.GetRequiredService<PredictionLog>().AppendAsync([record]);
        return record;
    }
}
