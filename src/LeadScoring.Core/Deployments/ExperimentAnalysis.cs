namespace LeadScoring.Core.Deployments;

/// <summary>Whether the experiment's figures can be trusted.</summary>
public enum ExperimentStatus
{
    /// <summary>No sign of a broken split.</summary>
    Ok,

    /// <summary>Sample-ratio mismatch: the observed split departs from the configured one; the recommendation is withheld.</summary>
    Broken,
}

/// <summary>The analysis of a deployment's experiment at one look.</summary>
/// <param name="Design">Split or shadow.</param>
/// <param name="Status">Ok, or broken by a sample-ratio mismatch.</param>
/// <param name="Champion">The champion's summary.</param>
/// <param name="Challenger">The challenger's summary (in shadow: its scores on the same leads).</param>
/// <param name="Difference">Challenger against champion (split only; null for shadow).</param>
/// <param name="SampleRatio">The sample-ratio check (split only; null when it cannot be judged).</param>
/// <param name="Shadow">Score agreement and the diff report (shadow only, null without pairs).</param>
/// <param name="Recommendation">Continue, promote, stop or withheld, with the reason.</param>
public sealed record ExperimentAnalysis(
    ExperimentDesign Design,
    ExperimentStatus Status,
    ArmSummary Champion,
    ArmSummary Challenger,
    ArmDifference? Difference,
    SampleRatioCheck? SampleRatio,
    ShadowAgreement? Shadow,
    Recommendation Recommendation)
{
    /// <summary>The wire name of the status: "ok" or "broken".</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();
}
