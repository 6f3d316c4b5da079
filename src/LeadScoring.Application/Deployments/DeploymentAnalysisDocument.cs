using LeadScoring.Core.Deployments;
using LeadScoring.Core.Statistics;
using LeadScoring.Storage.Deployments;

namespace LeadScoring.Application.Deployments;

/// <summary>
/// The wire form of a <see cref="DeploymentAnalysisReport"/>: what <c>GET /deployments/{id}/analysis</c> returns and
/// <c>leadscore deploy status --analysis --json</c> prints (serialised with snake_case names), so both say the same.
/// Figures that cannot be computed yet are null, never NaN.
/// </summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Model">The registered model.</param>
/// <param name="Mode">single, shadow, ab or canary.</param>
/// <param name="State">active, completed, rolled_back or aborted.</param>
/// <param name="ChampionVersion">The champion's version.</param>
/// <param name="ChallengerVersion">The challenger's version.</param>
/// <param name="Step">A canary's current step (0-based); null otherwise.</param>
/// <param name="ChallengerShare">The configured share the split is checked against (a canary: its current step's; shadow: 0).</param>
/// <param name="From">Start of the analysed window (a canary: its current step's start).</param>
/// <param name="To">End of the window (the deployment's end, or now).</param>
/// <param name="KnownBy">Outcomes as known at this time.</param>
/// <param name="Design">split or shadow.</param>
/// <param name="Status">ok, or broken (sample-ratio mismatch: the recommendation is withheld).</param>
/// <param name="Champion">The champion's figures.</param>
/// <param name="Challenger">The challenger's figures.</param>
/// <param name="Difference">Challenger against champion (split designs).</param>
/// <param name="SampleRatio">The sample-ratio-mismatch check (split designs, once judgeable).</param>
/// <param name="Shadow">Score agreement and the diff report (shadow).</param>
/// <param name="Recommendation">continue, promote, stop or withheld, with the reason.</param>
public sealed record DeploymentAnalysisDocument(
    long DeploymentId,
    string Model,
    string Mode,
    string State,
    int ChampionVersion,
    int? ChallengerVersion,
    int? Step,
    double ChallengerShare,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset KnownBy,
    string Design,
    string Status,
    ArmFigures Champion,
    ArmFigures Challenger,
    ArmDifferences? Difference,
    SampleRatioFigures? SampleRatio,
    ShadowFigures? Shadow,
    RecommendationFigures Recommendation)
{
    /// <summary>Maps a report to its wire form.</summary>
    public static DeploymentAnalysisDocument Of(DeploymentAnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var d = report.Deployment;
        var a = report.Analysis;
        return new DeploymentAnalysisDocument(
            d.Id,
            d.ModelName,
            DeploymentNames.Of(d.Mode),
            DeploymentNames.Of(d.State),
            d.ChampionVersion,
            d.ChallengerVersion,
            d.Mode == DeploymentMode.Canary ? d.Step : null,
            report.ChallengerShare,
            report.From,
            report.To,
            report.KnownBy,
            a.Design == ExperimentDesign.Shadow ? "shadow" : "split",
            a.StatusName,
            ArmFigures.Of(a.Champion),
            ArmFigures.Of(a.Challenger),
            a.Difference is { } diff ? ArmDifferences.Of(diff) : null,
            a.SampleRatio is { } srm ? new SampleRatioFigures(srm.ChampionLeads, srm.ChallengerLeads, srm.ExpectedShare, srm.ObservedShare, Finite(srm.ChiSquare), Finite(srm.PValue), srm.Mismatch) : null,
            a.Shadow is { } shadow ? ShadowFigures.Of(shadow) : null,
            new RecommendationFigures(a.Recommendation.Name, a.Recommendation.Reason));
    }

    internal static double? Finite(double value) => double.IsFinite(value) ? value : null;

    internal static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

/// <summary>An interval: lower and upper ends at a confidence level.</summary>
public sealed record IntervalFigures(double? Lower, double? Upper, double Level)
{
    internal static IntervalFigures Of(ConfidenceInterval interval) =>
        new(DeploymentAnalysisDocument.Finite(interval.Lower), DeploymentAnalysisDocument.Finite(interval.Upper), interval.Level);
}

/// <summary>One arm's figures (see <see cref="ArmSummary"/>).</summary>
public sealed record ArmFigures(
    long Leads,
    long Labelled,
    long Conversions,
    double? ConversionRate,
    IntervalFigures? ConversionInterval,
    double? RevenuePerLead,
    double? RocAuc,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    long Requests,
    long Errors,
    double? ErrorRate)
{
    internal static ArmFigures Of(ArmSummary s) => new(
        s.Leads,
        s.Labelled,
        s.Conversions,
        DeploymentAnalysisDocument.Finite(s.ConversionRate),
        s.ConversionInterval is { } ci ? IntervalFigures.Of(ci) : null,
        DeploymentAnalysisDocument.Finite(s.RevenuePerLead),
        DeploymentAnalysisDocument.Finite(s.RocAuc),
        DeploymentAnalysisDocument.Finite(s.LatencyP50Ms),
        DeploymentAnalysisDocument.Finite(s.LatencyP95Ms),
        DeploymentAnalysisDocument.Finite(s.LatencyP99Ms),
        s.Requests,
        s.Errors,
        DeploymentAnalysisDocument.Finite(s.ErrorRate));
}

/// <summary>
/// One metric, challenger against champion: the fixed-horizon p-value (for reference: valid for one planned look
/// only) and the always-valid p-value and confidence sequence of the mixture SPRT (valid at every look; decides).
/// </summary>
public sealed record MetricFigures(
    string Metric,
    double? Champion,
    double? Challenger,
    double? Difference,
    double? RelativeLift,
    double? FixedHorizonPValue,
    double? AlwaysValidPValue,
    IntervalFigures AlwaysValidInterval)
{
    internal static MetricFigures Of(MetricComparison m) => new(
        m.Metric,
        DeploymentAnalysisDocument.Finite(m.Champion),
        DeploymentAnalysisDocument.Finite(m.Challenger),
        DeploymentAnalysisDocument.Finite(m.Difference),
        DeploymentAnalysisDocument.Finite(m.RelativeLift),
        DeploymentAnalysisDocument.Finite(m.FixedHorizonPValue),
        DeploymentAnalysisDocument.Finite(m.AlwaysValidPValue),
        IntervalFigures.Of(m.Sequential.Interval));
}

/// <summary>Labelled leads per arm needed to detect the minimum lift, and the progress toward it.</summary>
public sealed record SampleSizeFigures(double BaselineRate, double MinimumLift, long RequiredPerArm, long LabelledPerArm, double Progress);

/// <summary>The differences of a split experiment; each null until both arms have what it needs.</summary>
public sealed record ArmDifferences(MetricFigures? ConversionRate, MetricFigures? RevenuePerLead, MetricFigures? RocAuc, SampleSizeFigures? SampleSize)
{
    internal static ArmDifferences Of(ArmDifference d) => new(
        d.Conversion is { } c ? MetricFigures.Of(c) : null,
        d.RevenuePerLead is { } r ? MetricFigures.Of(r) : null,
        d.RocAuc is { } a ? MetricFigures.Of(a) : null,
        d.SampleSize is { } s ? new SampleSizeFigures(s.BaselineRate, s.MinimumLift, s.RequiredPerArm, s.LabelledPerArm, s.Progress) : null);
}

/// <summary>The sample-ratio-mismatch check (chi-square of the observed split against the configured share).</summary>
public sealed record SampleRatioFigures(long ChampionLeads, long ChallengerLeads, double ExpectedShare, double ObservedShare, double? ChiSquare, double? PValue, bool Mismatch);

/// <summary>DeLong's test on the labelled leads of a shadow deployment; the difference is challenger − champion.</summary>
public sealed record DeLongFigures(double? ChampionAuc, double? ChallengerAuc, double? Difference, double? StandardError, double? PValue, double? DifferenceLower, double? DifferenceUpper);

/// <summary>How many leads moved from a champion band to a challenger band.</summary>
public sealed record BandTransitionFigures(string From, string To, long Leads);

/// <summary>The change in which leads fill the daily call capacity (K).</summary>
public sealed record TopKFigures(int K, int Overlap, int Entered, long ChampionConversions, long ChallengerConversions);

/// <summary>Score agreement and the diff report of a shadow deployment (see <see cref="ShadowAgreement"/>).</summary>
public sealed record ShadowFigures(
    long Pairs,
    double? Pearson,
    double? Spearman,
    double? TopDecileAgreement,
    double? Psi,
    DeLongFigures? DeLong,
    MetricFigures? RocAuc,
    IReadOnlyList<string> Bands,
    IReadOnlyList<BandTransitionFigures> Transitions,
    long BandChanges,
    TopKFigures TopK)
{
    internal static ShadowFigures Of(ShadowAgreement s) => new(
        s.Pairs,
        DeploymentAnalysisDocument.Finite(s.Pearson),
        DeploymentAnalysisDocument.Finite(s.Spearman),
        DeploymentAnalysisDocument.Finite(s.TopDecileAgreement),
        DeploymentAnalysisDocument.Finite(s.Psi),
        s.DeLong is { } d
            // DeLongResult's difference is champion − challenger; the wire says challenger − champion like every other difference.
            ? new DeLongFigures(
                DeploymentAnalysisDocument.Finite(d.AucChampion),
                DeploymentAnalysisDocument.Finite(d.AucChallenger),
                DeploymentAnalysisDocument.Finite(-d.Difference),
                DeploymentAnalysisDocument.Finite(d.StandardError),
                DeploymentAnalysisDocument.Finite(d.PValue),
                DeploymentAnalysisDocument.Finite(-d.DifferenceUpper),
                DeploymentAnalysisDocument.Finite(-d.DifferenceLower))
            : null,
        s.RocAuc is { } auc ? MetricFigures.Of(auc) : null,
        s.Bands,
        [.. s.Transitions.Select(t => new BandTransitionFigures(t.From, t.To, t.Leads))],
        s.BandChanges,
        new TopKFigures(s.TopK.K, s.TopK.Overlap, s.TopK.Entered, s.TopK.ChampionConversions, s.TopK.ChallengerConversions));
}

/// <summary>The recommendation: <c>continue</c>, <c>promote</c>, <c>stop</c> or <c>withheld</c>, and why.</summary>
public sealed record RecommendationFigures(string Kind, string Reason);
