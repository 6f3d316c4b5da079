using LeadScoring.Core.Deployments;
using LeadScoring.Core.Scoring;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Core.Tests.Deployments;

/// <summary>
/// Seeded experiments looked at daily, the analysis re-run on everything observed so far at every look (as the
/// server does): how often it promotes an equal challenger, and how fast it promotes a better one. Leads draw their
/// true conversion probability from the lead simulator; outcomes are drawn from it.
/// </summary>
public sealed class ExperimentSimulationTests
{
    private const double Alpha = 0.05;
    private const int Looks = 30;

    private static readonly double[] TrueProbabilities = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 8)).TrueProbability;

    [Fact]
    public void An_aa_split_test_looked_at_daily_promotes_in_at_most_alpha_of_experiments()
    {
        // 200 A/A experiments × 30 daily looks, 100 leads a day split 50/50, one model (true probability + noise) in both arms.
        const int experiments = 200;
        var random = new Random(20261202);
        int promoted = 0, stopped = 0, naive = 0, broken = 0;
        for (var e = 0; e < experiments; e++)
        {
            var world = new SplitWorld(random, share: 0.5, challengerRateFactor: 1.0);
            var everPromoted = false;
            var everNaive = false;
            var everBroken = false;
            var everStopped = false;
            for (var look = 0; look < Looks; look++)
            {
                world.AddDay(100);
                var analysis = world.Analyze();
                everPromoted |= analysis.Recommendation.Kind == RecommendationKind.Promote;
                everStopped |= analysis.Recommendation.Kind == RecommendationKind.Stop;
                everNaive |= NaivelySignificant(analysis);
                everBroken |= analysis.Status == ExperimentStatus.Broken;
            }

            promoted += everPromoted ? 1 : 0;
            naive += everNaive ? 1 : 0;
            broken += everBroken ? 1 : 0;
            stopped += everStopped ? 1 : 0;
        }

        // Measured with this seed: promoted 0, stopped 2 (at some look), broken 3 (the sample-ratio chi-square is a
        // fixed-horizon test re-run at every look), fixed-horizon peeking 64 of 200.

        var bound = Alpha + (3 * Math.Sqrt(Alpha * (1 - Alpha) / experiments));
        Assert.True((double)promoted / experiments <= bound, $"promoted {promoted} of {experiments} A/A experiments (bound {bound:P1})");
        Assert.True((double)stopped / experiments <= bound, $"stopped {stopped} of {experiments} A/A experiments (bound {bound:P1})");
        Assert.True((double)broken / experiments <= bound, $"called {broken} of {experiments} A/A experiments broken (bound {bound:P1})");

        // The same looks decided by the fixed-horizon p-values would have promoted far more often: the peeking problem.
        Assert.True((double)naive / experiments > 2 * Alpha, $"fixed-horizon peeking promoted only {naive} of {experiments}");
    }

    [Fact]
    public void A_challenger_that_converts_twenty_percent_more_is_promoted_within_thirty_daily_looks_in_most_runs()
    {
        const int runs = 20;
        var random = new Random(77);
        var promotedAt = new List<int>();
        for (var r = 0; r < runs; r++)
        {
            var world = new SplitWorld(random, share: 0.5, challengerRateFactor: 1.2);
            for (var look = 1; look <= Looks; look++)
            {
                world.AddDay(400);
                var recommendation = world.Analyze().Recommendation;
                Assert.NotEqual(RecommendationKind.Stop, recommendation.Kind);
                if (recommendation.Kind == RecommendationKind.Promote)
                {
                    promotedAt.Add(look);
                    break;
                }
            }
        }

        // Measured with this seed: 20 of 20, at looks 6 to 19 (median 10, i.e. about 2,000 leads per arm).
        Assert.True(promotedAt.Count >= 16, $"promoted in {promotedAt.Count} of {runs} runs (at looks {string.Join(", ", promotedAt)})");
    }

    [Fact]
    public void A_shadow_challenger_with_a_more_informative_score_is_promoted_on_auc_and_an_equal_one_is_not()
    {
        const int runs = 20;
        var random = new Random(5);
        int better = 0, equal = 0;
        for (var r = 0; r < runs; r++)
        {
            better += ShadowPromotes(random, challengerNoise: 0.02, championNoise: 0.3) ? 1 : 0;
            equal += ShadowPromotes(random, challengerNoise: 0.3, championNoise: 0.3) ? 1 : 0;
        }

        // Measured with this seed: 20 of 20 better challengers promoted, 0 of 20 equal ones.
        Assert.True(better >= 16, $"the better shadow challenger was promoted in {better} of {runs} runs");
        Assert.True(equal <= 3, $"an equally good shadow challenger was promoted in {equal} of {runs} runs");
    }

    private static bool ShadowPromotes(Random random, double challengerNoise, double championNoise)
    {
        var pairs = new List<ShadowPair>();
        for (var look = 0; look < Looks; look++)
        {
            for (var i = 0; i < 100; i++)
            {
                var p = TrueProbabilities[random.Next(TrueProbabilities.Length)];
                var champion = p + Noise(random, championNoise);
                var challenger = p + Noise(random, challengerNoise);
                pairs.Add(new ShadowPair(champion, challenger, Band(champion), Band(challenger), random.NextDouble() < p));
            }

            var analysis = ExperimentAnalyzer.Analyze(ExperimentInput.Shadow(pairs), ExperimentOptions.Default);
            if (analysis.Recommendation.Kind == RecommendationKind.Promote)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a fixed-horizon reading of this look would promote on: p ≤ α and a lift of the size that matters.</summary>
    private static bool NaivelySignificant(ExperimentAnalysis analysis)
    {
        var d = analysis.Difference!;
        return new[] { (d.Conversion, 0.05), (d.RevenuePerLead, 0.05), (d.RocAuc, 0.02) }
            .Any(m => m.Item1 is { } c && c.FixedHorizonPValue <= Alpha && c.RelativeLift >= m.Item2);
    }

    private static double Noise(Random random, double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Band(double score) => ScoreBuckets.Default.Of(Math.Clamp(score, 0, 1));

    /// <summary>An A/B test: leads assigned to the challenger with probability <c>share</c>; the challenger's leads convert at factor × the true probability.</summary>
    private sealed class SplitWorld(Random random, double share, double challengerRateFactor)
    {
        private readonly List<LeadObservation> _champion = [];
        private readonly List<LeadObservation> _challenger = [];
        private long _championErrors;
        private long _challengerErrors;

        public void AddDay(int leads)
        {
            for (var i = 0; i < leads; i++)
            {
                var p = TrueProbabilities[random.Next(TrueProbabilities.Length)];
                var toChallenger = random.NextDouble() < share;
                var converted = random.NextDouble() < Math.Min(1, p * (toChallenger ? challengerRateFactor : 1));
                var score = p + Noise(random, 0.1);
                var lead = new LeadObservation(score, Band(score), null, converted, converted ? 200 + (800 * random.NextDouble()) : null);
                var failed = random.NextDouble() < 0.005;
                if (toChallenger)
                {
                    _challenger.Add(lead);
                    _challengerErrors += failed ? 1 : 0;
                }
                else
                {
                    _champion.Add(lead);
                    _championErrors += failed ? 1 : 0;
                }
            }
        }

        public ExperimentAnalysis Analyze() =>
            ExperimentAnalyzer.Analyze(
                ExperimentInput.Split(share, _champion, _challenger, new ArmTraffic(_champion.Count, _championErrors), new ArmTraffic(_challenger.Count, _challengerErrors)),
                ExperimentOptions.Default);
    }
}
