using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Tests.Serving;

/// <summary>Shadow serving on the real service: the champion answers, the shadow model scores off the request path.</summary>
[Collection(ServerCollection.Name)]
public sealed class ShadowServingTests(TestPackages packages)
{
    [Fact]
    public async Task The_champion_answers_and_each_lead_gets_a_pair_row_with_both_scores()
    {
        // A budget no busy test machine reaches, so every lead is scored.
        await using var arms = await ArmService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Shadow:TimeBudget"] = "00:00:30" });
        await arms.DeployAsync(ServedModes.Shadow, 0);
        var (championScore, shadowScore) = (AbServingTests.ScoreOf(packages.First), AbServingTests.ScoreOf(packages.Second));

        var answers = await arms.ScoreAsync(200);

        Assert.All(answers, a => Assert.Equal(("champion", 1), (a.GetProperty("arm").GetString(), a.GetProperty("model").GetProperty("version").GetInt32())));
        await ArmService.EventuallyAsync(() => arms.Shadow.Counts.Completed == 200, "200 shadow scores");
        var logged = await EventuallyLoggedAsync(arms, 400);
        var served = logged.Where(r => r.Record.Arm == ServingArms.Champion).ToDictionary(r => r.Record.LeadId);
        var pairs = logged.Where(r => r.Record.Arm == ServingArms.Shadow).ToList();
        Assert.Equal(200, pairs.Count);
        Assert.All(pairs, pair =>
        {
            var champion = served[pair.Record.LeadId].Record;
            Assert.Equal((champion.RequestId, champion.ModelVersion, champion.Score, champion.Band, champion.FeaturesJson), (pair.Record.RequestId, pair.Record.ModelVersion, pair.Record.Score, pair.Record.Band, pair.Record.FeaturesJson));
            Assert.Equal((1, championScore, 2, shadowScore), (pair.Record.ModelVersion, pair.Record.Score, pair.Record.ShadowModelVersion, pair.Record.ShadowScore));
        });
        Assert.Equal(new ShadowCounts(200, 0, 0, 0, 0, 0), arms.Shadow.Counts);
        var counted = arms.Counters.CollectChanged();
        Assert.Equal((200L, 0L), (counted.Where(r => r.Arm == "shadow").Sum(r => r.Requests), counted.Where(r => r.Arm == "shadow").Sum(r => r.Errors)));
        Assert.Equal(200, counted.Where(r => r.Arm == "champion").Sum(r => r.Requests));
    }

    [Fact]
    public async Task A_throwing_shadow_model_fails_no_request_and_its_failures_are_counted()
    {
        await using var arms = await ArmService.StartAsync(packages);
        await arms.DeployAsync(ServedModes.Shadow, 0, _ => new ThrowingScorer());

        var answers = await arms.ScoreAsync(200);

        Assert.All(answers, a => Assert.Equal("champion", a.GetProperty("arm").GetString()));
        await ArmService.EventuallyAsync(() => arms.Shadow.Counts.Failed == 200, "200 shadow failures");
        Assert.Equal(new ShadowCounts(0, 200, 0, 0, 0, 0), arms.Shadow.Counts);
        Assert.DoesNotContain(await arms.LoggedAsync(), r => r.Record.Arm == ServingArms.Shadow);
        Assert.Equal(200, arms.Counters.CollectChanged().Where(r => r.Arm == "shadow").Sum(r => r.Errors));
    }

    [Fact]
    public async Task A_sleeping_shadow_model_fails_no_request_and_its_timeouts_are_counted()
    {
        // The whole time share: only the time budget stops this model.
        await using var arms = await ArmService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Shadow:TimeBudget"] = "00:00:00.020", ["LeadScoring:Shadow:MaxBusyShare"] = "1" });
        await arms.DeployAsync(ServedModes.Shadow, 0, inner => new SleepingScorer(inner, TimeSpan.FromMilliseconds(60)));

        var answers = await arms.ScoreAsync(100);

        Assert.All(answers, a => Assert.Equal("champion", a.GetProperty("arm").GetString()));
        await ArmService.EventuallyAsync(() => arms.Shadow.Counts.TimedOut == 100, "100 shadow timeouts");
        Assert.Equal(new ShadowCounts(0, 0, 100, 0, 0, 0), arms.Shadow.Counts);
        Assert.DoesNotContain(await arms.LoggedAsync(), r => r.Record.Arm == ServingArms.Shadow);
        Assert.Equal(100, arms.Counters.CollectChanged().Where(r => r.Arm == "shadow").Sum(r => r.Errors));
    }

    [Fact]
    public async Task A_shadow_model_that_takes_more_than_its_share_of_time_is_given_fewer_leads()
    {
        // 30 ms a lead against a share of 10 %: after one lead the scorer rests 300 ms, and the leads waiting or offered
        // meanwhile are shed (at the offer they are not even queued) and counted, at no cost to the requests.
        await using var arms = await ArmService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Shadow:TimeBudget"] = "00:00:30", ["LeadScoring:Shadow:MaxBusyShare"] = "0.1" });
        await arms.DeployAsync(ServedModes.Shadow, 0, inner => new SleepingScorer(inner, TimeSpan.FromMilliseconds(30)));

        var answers = await arms.ScoreAsync(100);

        Assert.All(answers, a => Assert.Equal("champion", a.GetProperty("arm").GetString()));
        await ArmService.EventuallyAsync(() => arms.Shadow.Counts is var c && c.Completed + c.Shed == 100 && arms.Shadow.QueueDepth == 0, "every lead scored or shed");
        var counts = arms.Shadow.Counts;
        Assert.InRange(counts.Completed, 1, 40);
        Assert.True(counts.Shed >= 60, $"shed {counts.Shed}");
        Assert.Equal((0L, 0L, 0L), (counts.Failed, counts.TimedOut, counts.Dropped));
        var pairs = await EventuallyLoggedAsync(arms, 100 + (int)counts.Completed);
        Assert.Equal(counts.Completed, pairs.Count(r => r.Record.Arm == ServingArms.Shadow));
    }

    [Fact]
    public async Task A_full_shadow_queue_drops_leads_and_counts_them_while_every_request_is_answered()
    {
        await using var arms = await ArmService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Shadow:QueueCapacity"] = "1" });
        BlockedScorer? blocked = null;
        await arms.DeployAsync(ServedModes.Shadow, 0, inner => blocked = new BlockedScorer(inner));
        try
        {
            var answers = await arms.ScoreAsync(100);

            Assert.Equal(100, answers.Count);
            Assert.All(answers, a => Assert.Equal("champion", a.GetProperty("arm").GetString()));
            await ArmService.EventuallyAsync(() => blocked!.Entered == 1, "the shadow model is busy with one lead");
            // One lead in the model, at most one in the queue: the rest were dropped.
            Assert.InRange(arms.Shadow.Counts.Dropped, 98, 99);
        }
        finally
        {
            blocked!.Release();
        }

        await ArmService.EventuallyAsync(() => arms.Shadow.Counts is var c && c.Completed + c.TimedOut + c.Dropped == 100, "every lead accounted for");
    }

    [Fact]
    public async Task Shutdown_waits_a_bounded_time_for_a_hung_shadow_model_and_drops_what_is_left()
    {
        var arms = await ArmService.StartAsync(packages, new Dictionary<string, string?> { ["LeadScoring:Shadow:ShutdownDrain"] = "00:00:00.200" });
        BlockedScorer? blocked = null;
        try
        {
            await arms.DeployAsync(ServedModes.Shadow, 0, inner => blocked = new BlockedScorer(inner));
            await arms.ScoreAsync(20);
            await ArmService.EventuallyAsync(() => blocked!.Entered == 1, "the shadow model hangs on a lead");

            await arms.Service.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Contains(arms.Service.Logs.Records, r => r.Message.Contains("were still waiting for the shadow model", StringComparison.Ordinal));
            blocked!.Release();
            await ArmService.EventuallyAsync(() => arms.Shadow.Counts.Dropped == 19, "the leads left are dropped");
        }
        finally
        {
            blocked?.Release();
            await arms.DisposeAsync();
        }
    }

    private static async Task<List<StoredPrediction>> EventuallyLoggedAsync(ArmService arms, int rows)
    {
        List<StoredPrediction> logged = [];
        await ArmService.EventuallyAsync(async () => (logged = await arms.LoggedAsync()).Count >= rows, $"{rows} logged rows");
        return logged;
    }
}
