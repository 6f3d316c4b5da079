using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Tests.Hosting;

[Collection(ServerCollection.Name)]
public sealed class StartupValidationTests(TestPackages packages)
{
    private const string Bands = "LeadScoring:Scoring:Bands";

    public static TheoryData<string, string> BadSettings => new()
    {
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=0.7 {Bands}:1:Name=warm {Bands}:1:MinScore=1.5 {Bands}:2:Name=cold {Bands}:2:MinScore=0", $"{Bands}:1:MinScore must be between 0 and 1 (got 1.5)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=-0.1", $"{Bands}:0:MinScore must be between 0 and 1 (got -0.1)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=NaN", $"{Bands}:0:MinScore must be between 0 and 1 (got NaN)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=high", $"{Bands}:0:MinScore must be a number between 0 and 1 (got 'high')" },
        { $"{Bands}:0:MinScore=0", $"{Bands}:0:Name is required (configured bands replace the defaults: give each a Name and a MinScore)" },
        { $"{Bands}:0:Name=hot", $"{Bands}:0:MinScore is required (configured bands replace the defaults: give each a Name and a MinScore)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=0.7 {Bands}:1:Name=HOT {Bands}:1:MinScore=0", $"{Bands}:1:Name must be unique ('HOT' is also {Bands}:0:Name)" },
        { $"{Bands}:0:Name=warm {Bands}:0:MinScore=0.4 {Bands}:1:Name=hot {Bands}:1:MinScore=0.7 {Bands}:2:Name=cold {Bands}:2:MinScore=0", $"{Bands}:1:MinScore must be below {Bands}:0:MinScore, 0.4: bands go from highest to lowest (got 0.7)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=0.7 {Bands}:1:Name=warm {Bands}:1:MinScore=0.7 {Bands}:2:Name=cold {Bands}:2:MinScore=0", $"{Bands}:1:MinScore must be below {Bands}:0:MinScore, 0.7: bands go from highest to lowest (got 0.7)" },
        { $"{Bands}:0:Name=hot {Bands}:0:MinScore=0.7 {Bands}:1:Name=warm {Bands}:1:MinScore=0.4", $"{Bands}:1:MinScore must be 0: the last band starts at 0 so every score has a band (got 0.4)" },
        { "LeadScoring:Scoring:MaxBatchSize=0", "LeadScoring:Scoring:MaxBatchSize must be between 1 and 100000 (got 0)" },
        { "LeadScoring:Scoring:MaxBatchSize=100001", "LeadScoring:Scoring:MaxBatchSize must be between 1 and 100000 (got 100001)" },
        { "LeadScoring:Scoring:MaxRequestBytes=1023", "LeadScoring:Scoring:MaxRequestBytes must be between 1024 and 268435456 (got 1023)" },
        { "LeadScoring:Scoring:MaxRequestBytes=268435457", "LeadScoring:Scoring:MaxRequestBytes must be between 1024 and 268435456 (got 268435457)" },
        { "LeadScoring:Serving:RegistryPollInterval=00:00:00", "LeadScoring:Serving:RegistryPollInterval must be more than 0 and at most 1 day (got 00:00:00)" },
        { "LeadScoring:Serving:RegistryPollInterval=-00:00:01", "LeadScoring:Serving:RegistryPollInterval must be more than 0 and at most 1 day (got -00:00:01)" },
        { "LeadScoring:Serving:RegistryPollInterval=2.00:00:00", "LeadScoring:Serving:RegistryPollInterval must be more than 0 and at most 1 day (got 2.00:00:00)" },
        { "LeadScoring:Serving:ModelName=lead/scoring", "LeadScoring:Serving:ModelName must be 1–100 letters, digits, '-', '_' or '.' (got 'lead/scoring')" },
        { "LeadScoring:Bootstrap:Rows=999", "LeadScoring:Bootstrap:Rows must be between 1000 and 10000000 (got 999)" },
        { "LeadScoring:Bootstrap:Rows=10000001", "LeadScoring:Bootstrap:Rows must be between 1000 and 10000000 (got 10000001)" },
        { "LeadScoring:Shadow:MaxBusyShare=0", "LeadScoring:Shadow:MaxBusyShare must be more than 0 and at most 1 (got 0)" },
        { "LeadScoring:Shadow:MaxBusyShare=1.5", "LeadScoring:Shadow:MaxBusyShare must be more than 0 and at most 1 (got 1.5)" },
        { "LeadScoring:Shadow:QueueCapacity=0", "LeadScoring:Shadow:QueueCapacity must be between 1 and 1000000 leads (got 0)" },
        { "LeadScoring:Shadow:TimeBudget=00:00:00", "LeadScoring:Shadow:TimeBudget must be more than 0 and at most 1 minute (got 00:00:00)" },
        { "LeadScoring:Shadow:ShutdownDrain=00:02:00", "LeadScoring:Shadow:ShutdownDrain must be between 0 and 1 minute (got 00:02:00)" },
        { "LeadScoring:Deployments:EvaluationInterval=00:00:00", "LeadScoring:Deployments:EvaluationInterval must be more than 0 and at most 1 day (got 00:00:00)" },
        { "LeadScoring:Deployments:PollInterval=00:00:00", "LeadScoring:Deployments:PollInterval must be more than 0 and at most 1 day (got 00:00:00)" },
        { "LeadScoring:Deployments:GuardrailWindow=00:00:30", "LeadScoring:Deployments:GuardrailWindow must be at least EvaluationInterval (00:01:00) and at most 7 days (got 00:00:30)" },
        { "LeadScoring:Deployments:LeaseTtl=00:01:00", "LeadScoring:Deployments:LeaseTtl must be more than EvaluationInterval (00:01:00) and at most 7 days (got 00:01:00)" },
        { "LeadScoring:Deployments:MaxErrorRate=1.5", "LeadScoring:Deployments:MaxErrorRate must lie in [0, 1) (got 1.5)" },
        { "LeadScoring:Deployments:MinRequests=0", "LeadScoring:Deployments:MinRequests must be at least 1 (got 0)" },
        { "LeadScoring:Deployments:MaxLatencyRatio=0.5", "LeadScoring:Deployments:MaxLatencyRatio must be a finite number ≥ 1 (got 0.5)" },
        { "LeadScoring:Monitoring:DailyCallCapacity=0", "LeadScoring:Monitoring:DailyCallCapacity must be at least 1 (got 0)" },
        { "LeadScoring:Monitoring:MinimumSampleSize=0", "LeadScoring:Monitoring:MinimumSampleSize must be at least 1 (got 0)" },
        { "LeadScoring:Monitoring:Threshold=1.5", "LeadScoring:Monitoring:Threshold must lie in [0, 1] (got 1.5)" },
        { "LeadScoring:Monitoring:MaxUnseenCategoryRate=-0.1", "LeadScoring:Monitoring:MaxUnseenCategoryRate must lie in [0, 1] (got -0.1)" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_service_at_start_with_one_message_naming_the_key(string settings, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningService.StartAsync(Parse(settings)));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("LeadScoring:Scoring:MaxBatchSize=lots", "'LeadScoring:Scoring:MaxBatchSize'")]
    [InlineData("LeadScoring:Serving:RegistryPollInterval=soon", "'LeadScoring:Serving:RegistryPollInterval'")]
    [InlineData("LeadScoring:Scoring:MaxBatchSzie=3", "'MaxBatchSzie'")]
    [InlineData("LeadScoring:Bootstrap:Row=3000", "'Row'")]
    [InlineData("LeadScoring:Deployments:EvaluationIntervall=00:05:00", "'EvaluationIntervall'")]
    public async Task An_unreadable_or_misspelt_setting_stops_the_service_naming_it(string setting, string named)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningService.StartAsync(Parse(setting)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_bands_replace_the_defaults_in_scores_and_the_model_route()
    {
        await using var service = await RunningService.StartAsync(Parse($"{Bands}:0:Name=call-now {Bands}:0:MinScore=0.5 {Bands}:1:Name=nurture {Bands}:1:MinScore=0"));
        await service.DeployAsync(packages.First);

        var model = await service.Client.GetFromJsonAsync<JsonElement>("/model");
        var (status, scored, _) = await Json.PostAsync(service.Client, "/score-lead", Json.SimulatedLead());

        Assert.Equal(
            [("call-now", 0.5), ("nurture", 0.0)],
            model.GetProperty("buckets").EnumerateArray().Select(b => (b.GetProperty("name").GetString(), b.GetProperty("min_score").GetDouble())));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(scored.GetProperty("score").GetDouble() >= 0.5 ? "call-now" : "nurture", scored.GetProperty("bucket").GetString());
    }

    private static Dictionary<string, string?> Parse(string settings) =>
        settings.Split(' ').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
}
