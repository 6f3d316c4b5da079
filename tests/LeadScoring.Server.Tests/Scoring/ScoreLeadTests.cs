using System.Net;
using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Scoring;

[Collection(ServerCollection.Name)]
public sealed class ScoreLeadTests(TestPackages packages) : IAsyncLifetime
{
    private RunningService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        await _service.DeployAsync(packages.First);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_valid_lead_gets_a_probability_its_band_and_the_model_version()
    {
        var (status, body, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("crm-42"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("crm-42", body.GetProperty("lead_id").GetString());
        var score = body.GetProperty("score").GetDouble();
        Assert.InRange(score, 0, 1);
        Assert.Equal(score >= 0.7 ? "hot" : score >= 0.4 ? "warm" : "cold", body.GetProperty("bucket").GetString());
        Assert.Equal("lead-scoring", body.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(1, body.GetProperty("model").GetProperty("version").GetInt32());
        Assert.Equal("champion", body.GetProperty("arm").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task The_api_scores_exactly_what_the_package_scores_in_process()
    {
        var package = ModelPackage.Load(packages.First);
        var lead = new LeadFeatures(package.Schema.Features.Count);
        string?[] categories = ["referral", "form", null, null, null, "chat_conversation", "professional", "india", null, null, null];
        double[] numbers = [double.NaN, double.NaN, 4, 620, 2.5, double.NaN, double.NaN, double.NaN, double.NaN, 0, 1];
        categories.CopyTo(lead.Categories, 0);
        numbers.CopyTo(lead.Numbers, 0);

        var (_, body, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead());

        Assert.Equal(package.Scorer.Score(lead), body.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Unknown_categories_and_missing_values_are_scored_not_rejected()
    {
        var lead = Json.SimulatedLead("x", "lead_source", "\"carrier_pigeon\"").Replace("\"total_visits\": 4", "\"total_visits\": null", StringComparison.Ordinal);

        var (status, body, _) = await Json.PostAsync(_service.Client, "/score-lead", lead);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.InRange(body.GetProperty("score").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Booleans_may_be_sent_as_yes_and_no()
    {
        var (status, _, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("x", "do_not_email", "\"Yes\""));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_caller_supplied_request_id_is_kept_and_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/score-lead") { Content = new StringContent(Json.SimulatedLead(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Request-Id", "crm-req-7");

        using var response = await _service.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("crm-req-7", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("crm-req-7", body.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_batch_is_scored_in_order_with_the_same_scores_as_single_requests()
    {
        var batch = "[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("b", "time_on_site_sec", "0") + "]";

        var (status, body, _) = await Json.PostAsync(_service.Client, "/score-leads", batch);
        var (_, single, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead("b", "time_on_site_sec", "0"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a", "b"], body.EnumerateArray().Select(r => r.GetProperty("lead_id").GetString()));
        Assert.Equal(single.GetProperty("score").GetDouble(), body[1].GetProperty("score").GetDouble());
        Assert.NotEqual(body[0].GetProperty("score").GetDouble(), body[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task The_scoring_service_reports_per_lead_the_arm_model_score_band_and_validated_features()
    {
        var scoring = _service.Services.GetRequiredService<LeadScoringService>();
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("b", "total_visits", "9") + "]"));

        var outcome = await scoring.ScoreLeadsAsync(context.Request, CancellationToken.None);

        Assert.Equal(ScoringStatus.Scored, outcome.Status);
        Assert.Equal(["a", "b"], outcome.Scored!.Select(l => l.LeadId));
        Assert.All(outcome.Scored!, l =>
        {
            Assert.Equal(ServingArm.Champion, l.Arm);
            Assert.Equal(("lead-scoring", 1), (l.Model.Name, l.Model.Version));
            Assert.Equal(scoring.Buckets.Of(l.Score), l.Bucket);
            Assert.Equal(l.Model.Package.Scorer.Score(l.Features), l.Score);
        });
        Assert.Equal([4.0, 9.0], outcome.Scored!.Select(l => l.Features.Numbers[2]));
        Assert.Equal("referral", outcome.Scored![0].Features.Categories[0]);
    }

    [Fact]
    public async Task Every_request_is_logged_with_status_duration_request_id_and_model_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/score-lead") { Content = new StringContent(Json.SimulatedLead(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Request-Id", "log-check-1");
        using var response = await _service.Client.SendAsync(request);

        var record = _service.Logs.Records.Last(r => r.State.Any(kv => kv.Key == "RequestId" && (string?)kv.Value == "log-check-1"));
        var state = record.State.ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal("POST", state["Method"]);
        Assert.Equal("/score-lead", state["Path"]);
        Assert.Equal(200, state["StatusCode"]);
        Assert.Equal("lead-scoring", state["Model"]);
        Assert.Equal(1, state["ModelVersion"]);
        Assert.IsType<double>(state["ElapsedMs"]);
    }
}
