using LeadScoring.Core.Deployments;
using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class ShadowAgreementTests
{
    // Champion 0.9 0.8 0.6 0.4 0.2 0.1 (bands hot hot warm warm cold cold); challenger 0.7 0.95 0.3 0.5 0.15 0.05
    // (hot hot cold warm cold cold); outcomes T F T F F and one unknown.
    private static readonly ShadowPair[] Pairs =
    [
        new(0.9, 0.7, "hot", "hot", true),
        new(0.8, 0.95, "hot", "hot", false),
        new(0.6, 0.3, "warm", "cold", true),
        new(0.4, 0.5, "warm", "warm", false),
        new(0.2, 0.15, "cold", "cold", false),
        new(0.1, 0.05, "cold", "cold", null),
    ];

    [Fact]
    public void Correlations_top_decile_and_psi_match_hand_computation()
    {
        var agreement = ShadowAgreement.Of(Pairs, ExperimentOptions.Default);

        Assert.Equal(6, agreement.Pairs);
        Tolerance.Statistic(0.8687397426814757, agreement.Pearson!.Value, "Pearson");
        Tolerance.Statistic(1 - (6.0 * 4 / (6 * 35)), agreement.Spearman!.Value, "Spearman"); // rank differences ±1 on four leads
        Assert.Equal(0, agreement.TopDecileAgreement); // k = ⌈6/10⌉ = 1: champion's top is lead 0, challenger's lead 1

        // Champion decile edges 0.15 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.85: counts [1,1,0,1,0,1,0,1,0,1] against [2,0,1,0,1,0,1,0,0,1].
        Tolerance.Statistic(8.76534257666755, agreement.Psi, "PSI");
    }

    [Fact]
    public void Delong_runs_on_the_labelled_pairs_and_feeds_the_always_valid_test()
    {
        var agreement = ShadowAgreement.Of(Pairs, ExperimentOptions.Default);

        // Five labelled leads: champion AUC 5/6, challenger 3/6; DeLong variance of the difference 1/36.
        Tolerance.Statistic(5.0 / 6, agreement.DeLong!.AucChampion, "champion AUC");
        Tolerance.Statistic(0.5, agreement.DeLong.AucChallenger, "challenger AUC");
        Tolerance.Statistic(1.0 / 36, agreement.DeLong.StandardError * agreement.DeLong.StandardError, "variance");
        Tolerance.PValue(0.04550026389635847, agreement.DeLong.PValue, "DeLong p");
        Assert.Equal(-1.0 / 3, agreement.RocAuc!.Difference, 12);
        Tolerance.PValue(0.985282561213629, agreement.RocAuc.AlwaysValidPValue, "mSPRT p");
    }

    [Fact]
    public void The_band_matrix_and_the_top_k_change_are_counted()
    {
        var agreement = ShadowAgreement.Of(Pairs, ExperimentOptions.Default with { DailyCallCapacity = 3 });

        Assert.Equal(["cold", "hot", "warm"], agreement.Bands);
        Assert.Equal(
            [new("cold", "cold", 2), new("hot", "hot", 2), new("warm", "cold", 1), new("warm", "warm", 1)],
            agreement.Transitions);
        Assert.Equal(1, agreement.BandChanges);

        // Champion's top 3: leads 0, 1, 2 (2 conversions); challenger's: 1, 0, 3 (1 conversion).
        Assert.Equal(new TopKChange(3, 2, 1, 2, 1), agreement.TopK);
        Assert.Equal(new TopKChange(6, 6, 0, 2, 2), ShadowAgreement.Of(Pairs, ExperimentOptions.Default).TopK);
    }

    [Fact]
    public void Spearman_gives_tied_scores_their_mean_rank()
    {
        // Champion 1 1 2 3 → ranks 1.5 1.5 3 4; challenger 1 2 2 3 → 1 2.5 2.5 4; Pearson of the ranks = 3.75/4.5.
        ShadowPair[] tied = [new(1, 1, "a", "a", null), new(1, 2, "a", "a", null), new(2, 2, "a", "a", null), new(3, 3, "a", "a", null)];

        Assert.Equal(3.75 / 4.5, ShadowAgreement.Of(tied, ExperimentOptions.Default).Spearman!.Value, 12);
    }

    [Fact]
    public void Identical_scores_agree_completely()
    {
        var same = Pairs.Select(p => p with { ChallengerScore = p.ChampionScore, ChallengerBand = p.ChampionBand }).ToArray();

        var agreement = ShadowAgreement.Of(same, ExperimentOptions.Default);

        Assert.Equal(1, agreement.Pearson!.Value, 12);
        Assert.Equal(1, agreement.Spearman!.Value, 12);
        Assert.Equal(1, agreement.TopDecileAgreement);
        Assert.Equal(0, agreement.Psi);
        Assert.Equal(0, agreement.BandChanges);
        Assert.Equal(1, agreement.RocAuc!.AlwaysValidPValue);
    }

    [Fact]
    public void A_shadow_analysis_summarises_both_models_on_the_same_leads()
    {
        var analysis = ExperimentAnalyzer.Analyze(ExperimentInput.Shadow(Pairs, new ArmTraffic(6, 0), new ArmTraffic(6, 1)), ExperimentOptions.Default);

        Assert.Equal(ExperimentDesign.Shadow, analysis.Design);
        Assert.Equal(ExperimentStatus.Ok, analysis.Status);
        Assert.Null(analysis.Difference);
        Assert.Null(analysis.SampleRatio);
        Assert.Equal(5, analysis.Champion.Labelled);
        Assert.Equal(5, analysis.Challenger.Labelled);
        Assert.Equal(5.0 / 6, analysis.Champion.RocAuc!.Value, 12);
        Assert.Equal(0.5, analysis.Challenger.RocAuc!.Value, 12);
        Assert.Equal(1.0 / 6, analysis.Challenger.ErrorRate!.Value, 12);
        Assert.Equal(RecommendationKind.Continue, analysis.Recommendation.Kind);
        Assert.Contains("ROC AUC 0.5 against 0.8333, -40 % (always-valid p = 0.9853)", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shadow_without_pairs_has_no_agreement_and_continues()
    {
        var analysis = ExperimentAnalyzer.Analyze(ExperimentInput.Shadow([]), ExperimentOptions.Default);

        Assert.Null(analysis.Shadow);
        Assert.Equal(RecommendationKind.Continue, analysis.Recommendation.Kind);
        Assert.Contains("no metric can be compared yet", analysis.Recommendation.Reason, StringComparison.Ordinal);
    }
}
