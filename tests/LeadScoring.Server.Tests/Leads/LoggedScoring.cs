using System.Net;
using System.Text.Json;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Leads;

/// <summary>
/// Scores a lead through POST /score-lead (which logs it before answering) and returns the record the service's
/// prediction log holds for that response's request id, checked against the response.
/// </summary>
internal static class LoggedScoring
{
    public static async Task<PredictionRecord> ScoreAsync(RunningService service, string leadJson)
    {
        var (status, body, _) = await Json.PostAsync(service.Client, "/score-lead", leadJson);
        Assert.Equal(HttpStatusCode.OK, status);
        var model = service.Services.GetRequiredService<ServingState>().Snapshot!.Champion;
        Assert.Equal(model.Version, body.GetProperty("model").GetProperty("version").GetInt32());

        using var lead = JsonDocument.Parse(leadJson);
        var leadId = lead.RootElement.GetProperty("lead_id").GetString()!;
        var requestId = body.GetProperty("request_id").GetString()!;
        var logged = await service.Services.GetRequiredService<PredictionLog>().GetByLeadAsync(leadId);
        var record = Assert.Single(logged, p => p.Record.RequestId == requestId).Record;
        Assert.Equal(body.GetProperty("score").GetDouble(), record.Score);
        Assert.Equal(body.GetProperty("bucket").GetString(), record.Band);
        Assert.Equal(model.Version, record.ModelVersion);
        return record;
    }
}
