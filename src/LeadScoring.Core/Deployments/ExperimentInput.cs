namespace LeadScoring.Core.Deployments;

/// <summary>How the challenger meets traffic in the experiment being analysed.</summary>
public enum ExperimentDesign
{
    /// <summary>A/B or canary: each lead is served by one arm, the challenger taking a configured share.</summary>
    Split,

    /// <summary>Shadow: every lead is scored by both; only the champion's score is served.</summary>
    Shadow,
}

/// <summary>One lead served by one arm (a prediction-log row joined to the lead's current outcome).</summary>
/// <param name="Score">The score the arm gave.</param>
/// <param name="Band">The band the arm gave (e.g. "hot"); may be null when not needed.</param>
/// <param name="LatencyMicroseconds">Scoring latency in µs; null when unknown.</param>
/// <param name="Converted">The outcome: true or false once known, null while unknown (unlabelled).</param>
/// <param name="Revenue">Revenue of a converted lead; null when not reported (counts as 0 in revenue per lead).</param>
public sealed record LeadObservation(double Score, string? Band, long? LatencyMicroseconds, bool? Converted, double? Revenue = null);

/// <summary>One lead scored by both models in a shadow deployment.</summary>
/// <param name="ChampionScore">The champion's (served) score.</param>
/// <param name="ChallengerScore">The challenger's shadow score.</param>
/// <param name="ChampionBand">The champion's band.</param>
/// <param name="ChallengerBand">The band the challenger's score falls in.</param>
/// <param name="Converted">The outcome, null while unknown.</param>
/// <param name="Revenue">Revenue of a converted lead, when reported.</param>
public sealed record ShadowPair(double ChampionScore, double ChallengerScore, string ChampionBand, string ChallengerBand, bool? Converted, double? Revenue = null);

/// <summary>Latency quantiles of an arm in milliseconds (e.g. from the merged latency histograms of the arm counters).</summary>
/// <param name="P50Ms">Median.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
public sealed record LatencyQuantiles(double P50Ms, double P95Ms, double P99Ms);

/// <summary>An arm's request counters over the analysed period (from the arm counters every replica flushes).</summary>
/// <param name="Requests">Requests the arm served.</param>
/// <param name="Errors">Requests the arm failed.</param>
/// <param name="Latency">Latency quantiles from the counters; when null they are computed from the observations' latency.</param>
public sealed record ArmTraffic(long Requests, long Errors, LatencyQuantiles? Latency = null)
{
    /// <summary>No counters: error rates are reported as unknown.</summary>
    public static readonly ArmTraffic None = new(0, 0);
}

/// <summary>Everything the analysis reads; build it with <see cref="Split"/> or <see cref="Shadow"/>.</summary>
/// <param name="Design">Split (A/B, canary) or shadow.</param>
/// <param name="ChallengerShare">The configured challenger share the observed split is checked against (split only; 0 for shadow).</param>
/// <param name="ChampionLeads">Leads the champion served (split); empty for shadow.</param>
/// <param name="ChallengerLeads">Leads the challenger served (split); empty for shadow.</param>
/// <param name="Pairs">Leads scored by both (shadow); empty for split.</param>
/// <param name="ChampionTraffic">The champion's request counters.</param>
/// <param name="ChallengerTraffic">The challenger's request counters (for shadow: the shadow scorer's attempts and failures).</param>
public sealed record ExperimentInput(
    ExperimentDesign Design,
    double ChallengerShare,
    IReadOnlyList<LeadObservation> ChampionLeads,
    IReadOnlyList<LeadObservation> ChallengerLeads,
    IReadOnlyList<ShadowPair> Pairs,
    ArmTraffic ChampionTraffic,
    ArmTraffic ChallengerTraffic)
{
    /// <summary>
    /// An A/B or canary experiment. Pass each lead once (its first scoring under this deployment) and only leads
    /// assigned while <paramref name="challengerShare"/> was the configured share (for a canary: since the current
    /// step started), or the sample-ratio check compares the split against the wrong share.
    /// </summary>
    public static ExperimentInput Split(
        double challengerShare,
        IReadOnlyList<LeadObservation> championLeads,
        IReadOnlyList<LeadObservation> challengerLeads,
        ArmTraffic? championTraffic = null,
        ArmTraffic? challengerTraffic = null) =>
        new(ExperimentDesign.Split, challengerShare, championLeads, challengerLeads, [], championTraffic ?? ArmTraffic.None, challengerTraffic ?? ArmTraffic.None);

    /// <summary>A shadow experiment: both models' scores on the same leads.</summary>
    public static ExperimentInput Shadow(IReadOnlyList<ShadowPair> pairs, ArmTraffic? championTraffic = null, ArmTraffic? challengerTraffic = null) =>
        new(ExperimentDesign.Shadow, 0, [], [], pairs, championTraffic ?? ArmTraffic.None, challengerTraffic ?? ArmTraffic.None);
}
