using LeadScoring.Core.Deployments;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Serving;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Tests.Serving;

/// <summary>A/B and canary serving on the real service: the challenger answers the leads StickyAssignment gives it.</summary>
[Collection(ServerCollection.Name)]
public sealed class AbServingTests(TestPackages packages)
{
    [Theory]
    [InlineData(ServedModes.AB, 0.10)]
    [InlineData(ServedModes.Canary, 0.50)]
    public async Task Each_lead_is_answered_by_the_arm_its_sticky_position_gives_it_and_logged_with_that_arm(string mode, double share)
    {
        await using var arms = await ArmService.StartAsync(packages);
        await arms.DeployAsync(mode, share);
        var (championScore, challengerScore) = (Score(packages.First), Score(packages.Second));

        var answers = await arms.ScoreAsync(600);
        var again = await arms.ScoreAsync(600);

        var challengers = 0;
        foreach (var answer in answers.Concat(again))
        {
            var lead = answer.GetProperty("lead_id").GetString()!;
            var challenger = StickyAssignment.IsChallenger(ArmService.Salt, lead, share);
            challengers += challenger ? 1 : 0;
            Assert.Equal(challenger ? "challenger" : "champion", answer.GetProperty("arm").GetString());
            Assert.Equal(challenger ? 2 : 1, answer.GetProperty("model").GetProperty("version").GetInt32());
            Assert.Equal(challenger ? challengerScore : championScore, answer.GetProperty("score").GetDouble());
        }

        Assert.InRange(challengers, 1, answers.Count * 2 - 1);
        var logged = await arms.LoggedAsync();
        Assert.Equal(1200, logged.Count);
        Assert.All(logged, row =>
        {
            var challenger = StickyAssignment.IsChallenger(ArmService.Salt, row.Record.LeadId, share);
            Assert.Equal((challenger ? ServingArms.Challenger : ServingArms.Champion, challenger ? 2 : 1), (row.Record.Arm, row.Record.ModelVersion));
        });

        var counted = arms.Counters.CollectChanged();
        Assert.Equal(challengers, counted.Where(r => r.Arm == "challenger").Sum(r => r.Requests));
        Assert.Equal(1200 - challengers, counted.Where(r => r.Arm == "champion").Sum(r => r.Requests));
        Assert.All(counted, row => Assert.Equal((7L, 0L, row.Requests), (row.DeploymentId, row.Errors, row.LatencyBuckets.Sum())));
    }

    [Fact]
    public async Task A_single_lead_response_names_the_challenger_arm_and_version()
    {
        await using var arms = await ArmService.StartAsync(packages);
        await arms.DeployAsync(ServedModes.AB, 0.5);
        var lead = Enumerable.Range(0, 100).Select(i => $"single-{i}").First(id => StickyAssignment.IsChallenger(ArmService.Salt, id, 0.5));

        var (status, body, _) = await Json.PostAsync(arms.Service.Client, "/score-lead", Json.SimulatedLead(lead));

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal("challenger", body.GetProperty("arm").GetString());
        Assert.Equal(2, body.GetProperty("model").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_throwing_challenger_fails_no_request_the_champion_answers_and_the_errors_are_counted()
    {
        await using var arms = await ArmService.StartAsync(packages);
        await arms.DeployAsync(ServedModes.AB, 0.5, _ => new ThrowingScorer());
        var championScore = Score(packages.First);

        var answers = await arms.ScoreAsync(400);

        Assert.All(answers, answer =>
        {
            Assert.Equal("champion", answer.GetProperty("arm").GetString());
            Assert.Equal(1, answer.GetProperty("model").GetProperty("version").GetInt32());
            Assert.Equal(championScore, answer.GetProperty("score").GetDouble());
        });
        var assigned = answers.Count(a => StickyAssignment.IsChallenger(ArmService.Salt, a.GetProperty("lead_id").GetString()!, 0.5));
        var counted = arms.Counters.CollectChanged();
        var challenger = counted.Where(r => r.Arm == "challenger").ToList();
        Assert.Equal((assigned, assigned), (challenger.Sum(r => r.Requests), challenger.Sum(r => r.Errors)));
        Assert.Equal(400 - assigned, counted.Where(r => r.Arm == "champion").Sum(r => r.Requests));
        Assert.All(await arms.LoggedAsync(), row => Assert.Equal((ServingArms.Champion, 1), (row.Record.Arm, row.Record.ModelVersion)));
    }

    [Fact]
    public async Task Back_to_single_the_champion_answers_every_lead_and_nothing_is_counted()
    {
        await using var arms = await ArmService.StartAsync(packages);
        await arms.DeployAsync(ServedModes.AB, 0.5);
        arms.Serving.SetDeployment(null);

        var answers = await arms.ScoreAsync(200);

        Assert.All(answers, a => Assert.Equal("champion", a.GetProperty("arm").GetString()));
        Assert.Empty(arms.Counters.CollectChanged());
    }

    // Every simulated lead of these tests has the same features (only the id differs): one score per model.
    private static double Score(byte[] archive)
    {
        var package = ModelPackage.Load(archive);
        var lead = new Core.Features.LeadFeatures(package.Schema.Features.Count);
        string?[] categories = ["referral", "form", null, null, null, "chat_conversation", "professional", "india", null, null, null];
        double[] numbers = [double.NaN, double.NaN, 4, 620, 2.5, double.NaN, double.NaN, double.NaN, double.NaN, 0, 1];
        categories.CopyTo(lead.Categories, 0);
        numbers.CopyTo(lead.Numbers, 0);
        return package.Scorer.Score(lead);
    }

    internal static double ScoreOf(byte[] archive) => Score(archive);
}
