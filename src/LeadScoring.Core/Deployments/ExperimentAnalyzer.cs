namespace LeadScoring.Core.Deployments;

/// <summary>
/// The experiment analysis of issue 8: per-arm summaries, the differences with always-valid tests, the
/// sample-ratio check, shadow agreement, and a recommendation. Pure and stateless: the caller re-runs it at
/// every look on everything observed since the experiment started. Decisions use only the mixture SPRT's
/// always-valid p-values, whose chance of ever crossing α over all looks is at most α, so looking daily (or
/// every minute) does not inflate false promotions the way re-running a fixed-horizon test does.
/// </summary>
public static class ExperimentAnalyzer
{
    /// <summary>Analyses one look.</summary>
    public static ExperimentAnalysis Analyze(ExperimentInput input, ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return input.Design == ExperimentDesign.Shadow ? AnalyzeShadow(input, options) : AnalyzeSplit(input, options);
    }

    private static ExperimentAnalysis AnalyzeSplit(ExperimentInput input, ExperimentOptions options)
    {
        if (!(input.ChallengerShare >= 0 && input.ChallengerShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.ChallengerShare, "the challenger share must lie in [0, 1]");
        }

        var champion = ArmSummary.Of(input.ChampionLeads, input.ChampionTraffic, options.ConfidenceLevel);
        var challenger = ArmSummary.Of(input.ChallengerLeads, input.ChallengerTraffic, options.ConfidenceLevel);
        var srm = SampleRatioCheck.Of(champion.Leads, challenger.Leads, input.ChallengerShare, options.SampleRatioAlpha);
        var difference = ArmDifference.Of(ArmSample.Labelled(input.ChampionLeads), ArmSample.Labelled(input.ChallengerLeads), options);
        var metrics = new[] { difference.Conversion, difference.RevenuePerLead, difference.RocAuc }.OfType<MetricComparison>().ToList();
        var recommendation = Recommendation.Decide(srm, metrics, champion, challenger, difference.SampleSize, options);
        var status = srm is { Mismatch: true } ? ExperimentStatus.Broken : ExperimentStatus.Ok;
        return new ExperimentAnalysis(ExperimentDesign.Split, status, champion, challenger, difference, srm, null, recommendation);
    }

    private static ExperimentAnalysis AnalyzeShadow(ExperimentInput input, ExperimentOptions options)
    {
        var championLeads = new List<LeadObservation>(input.Pairs.Count);
        var challengerLeads = new List<LeadObservation>(input.Pairs.Count);
        foreach (var pair in input.Pairs)
        {
            championLeads.Add(new LeadObservation(pair.ChampionScore, pair.ChampionBand, null, pair.Converted, pair.Revenue));
            challengerLeads.Add(new LeadObservation(pair.ChallengerScore, pair.ChallengerBand, null, pair.Converted, pair.Revenue));
        }

        var champion = ArmSummary.Of(championLeads, input.ChampionTraffic, options.ConfidenceLevel);
        var challenger = ArmSummary.Of(challengerLeads, input.ChallengerTraffic, options.ConfidenceLevel);
        var agreement = input.Pairs.Count > 0 ? ShadowAgreement.Of(input.Pairs, options) : null;

        // The same leads and the same outcomes: only the ranking can differ, so AUC (paired, DeLong) is the decision metric.
        var metrics = agreement?.RocAuc is { } auc ? new List<MetricComparison> { auc } : [];
        var recommendation = Recommendation.Decide(null, metrics, champion, challenger, null, options);
        return new ExperimentAnalysis(ExperimentDesign.Shadow, ExperimentStatus.Ok, champion, challenger, null, null, agreement, recommendation);
    }
}
