using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Retraining;

/// <summary>The service's own worker on runs whose logs hold too few mature labelled leads: the run stops with a status saying so, and trains nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class RetrainingWorkerTests(TestPackages packages)
{
    [Fact]
    public async Task Too_few_mature_labelled_leads_end_the_run_as_insufficient_data_naming_the_counts()
    {
        await using var service = await RetrainingService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Retraining:Data:MinLabelled"] = "100" });
        var start = service.Clock.GetUtcNow();
        for (var i = 0; i < 80; i += 40)
        {
            var batch = "[" + string.Join(",", Enumerable.Range(i, 40).Select(k => Json.SimulatedLead($"few-{k:D3}"))) + "]";
            var (status, body, _) = await Json.PostAsync(service.Service.Client, "/score-leads", batch);
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }

        // No outcome yet: the delay is unknown, so nothing can be called mature.
        var first = await service.RequestAsync();
        var none = (await service.WaitForAsync(first, r => r.GetProperty("finished").GetBoolean())).GetProperty("run");
        Assert.Equal("insufficient_data", RetrainingService.Status(none));
        Assert.Contains("no outcomes have been received yet", none.GetProperty("status_detail").GetString(), StringComparison.Ordinal);

        // Outcomes a day after scoring for 60 of the 80 leads (half converted); four days on, those 60 are mature.
        service.Clock.Advance(TimeSpan.FromDays(2));
        var outcomes = JsonSerializer.Serialize(Enumerable.Range(0, 60).Select(k => new { lead_id = $"few-{k:D3}", converted = k % 2 == 0, occurred_at = start.AddDays(1) }));
        var (posted, answer, _) = await Json.PostAsync(service.Service.Admin, "/outcomes", outcomes);
        Assert.True(posted is HttpStatusCode.OK or HttpStatusCode.Created, $"{(int)posted} {answer}");
        service.Clock.Advance(TimeSpan.FromDays(2));

        var second = await service.RequestAsync();
        var detail = await service.WaitForAsync(second, r => r.GetProperty("finished").GetBoolean());
        var run = detail.GetProperty("run");
        Assert.Equal("insufficient_data", RetrainingService.Status(run));
        var said = run.GetProperty("status_detail").GetString()!;
        Assert.Contains("60 mature labelled leads (of 80 scored)", said, StringComparison.Ordinal);
        Assert.Contains("retraining needs at least 100", said, StringComparison.Ordinal);
        Assert.Equal(60, run.GetProperty("data").GetProperty("rows").GetInt32());
        Assert.Equal(["queued", "preparing_data", "insufficient_data"], RetrainingService.Steps(detail));
        Assert.Empty(detail.GetProperty("trials").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("candidate_version").ValueKind);
        var versions = await service.GetAsync($"/registry/models/{RunningService.ModelName}/versions");
        Assert.Single(versions.EnumerateArray());
    }
}
