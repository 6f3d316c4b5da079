using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// The wire form of a <see cref="WindowReport"/>: what a monitoring run stores as its summary, what
/// <c>GET /monitoring/runs/{id}</c> returns and what <c>leadscore drift --json</c> prints (serialised with
/// <see cref="MonitoringJson.Options"/>), so all three say the same. Figures that cannot be computed are null, never NaN.
/// </summary>
/// <param name="Leads">Leads in the window.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="InsufficientData">True when no feature had enough values to judge drift.</param>
/// <param name="Drift">Overall drift; null when no feature could be measured.</param>
/// <param name="Features">One entry per schema feature, in schema order: drift and quality.</param>
/// <param name="DriftedByImpact">Drifted features ranked by their estimated effect on performance, largest first.</param>
/// <param name="Prediction">Score drift, mean score and band shares.</param>
/// <param name="Performance">Realised figures on labelled leads and the label-free estimate.</param>
/// <param name="Business">Conversion and revenue per band, lift by decile, precision at daily capacity.</param>
public sealed record WindowReportDocument(
    long Leads,
    long Labelled,
    bool InsufficientData,
    DriftOverview? Drift,
    IReadOnlyList<FeatureFigures> Features,
    IReadOnlyList<ImpactFigures> DriftedByImpact,
    PredictionFigures Prediction,
    PerformanceFigures Performance,
    BusinessFigures Business)
{
    /// <summary>Maps a report to its wire form.</summary>
    public static WindowReportDocument From(WindowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var quality = report.DataQuality.ToDictionary(q => q.Feature, StringComparer.Ordinal);
        return new WindowReportDocument(
            report.Count,
            report.Labelled,
            report.InsufficientData,
            report.DriftSummary is { } s ? new DriftOverview(s.Features, s.DriftedFeatures, s.DriftedShare, s.OverallPsi, s.MaxPsi, Name(s.Severity), s.DatasetDrifted) : null,
            report.DataDrift.Select(d => FeatureFigures.Of(d, quality.GetValueOrDefault(d.Feature))).ToList(),
            report.DriftedFeaturesByImpact.Select(i => new ImpactFigures(i.Feature, Finite(i.EstimatedAuc), Finite(i.ReferenceLikeAuc), Finite(i.AucChange), Finite(i.EstimatedPositiveRate), Finite(i.ReferenceLikePositiveRate))).ToList(),
            PredictionFigures.Of(report.Prediction),
            PerformanceFigures.Of(report.Performance),
            BusinessFigures.Of(report.Business));
    }

    internal static double? Finite(double value) => double.IsFinite(value) ? value : null;

    internal static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    internal static string Name(DriftSeverity severity) => severity switch
    {
        DriftSeverity.None => "none",
        DriftSeverity.Warning => "warning",
        _ => "critical",
    };

    internal static string Name(DriftMethod method) => method switch
    {
        DriftMethod.PopulationStabilityIndex => "psi",
        DriftMethod.KullbackLeibler => "kl",
        DriftMethod.JensenShannonDistance => "jensen_shannon",
        DriftMethod.KolmogorovSmirnov => "ks",
        DriftMethod.ChiSquare => "chi_square",
        DriftMethod.TwoProportionZ => "two_proportion_z",
        DriftMethod.NormalisedWasserstein => "wasserstein",
        _ => method.ToString().ToLowerInvariant(),
    };
}

/// <summary>Overall drift across the measured features.</summary>
/// <param name="Features">Features measured.</param>
/// <param name="Drifted">Of them, drifted.</param>
/// <param name="DriftedShare">Drifted / measured.</param>
/// <param name="OverallPsi">Mean PSI over the measured features.</param>
/// <param name="MaxPsi">Largest PSI.</param>
/// <param name="Severity">none, warning or critical: the PSI band of the overall figure.</param>
/// <param name="DatasetDrift">True when the drifted share reaches the dataset-drift share.</param>
public sealed record DriftOverview(int Features, int Drifted, double DriftedShare, double OverallPsi, double MaxPsi, string Severity, bool DatasetDrift);

/// <summary>One feature: its drift verdict and measures, its distributions' bins, and its data quality.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Type">numeric, categorical or boolean.</param>
/// <param name="Verdict">stable, drifted or insufficient_data.</param>
/// <param name="Reason">The verdict in a sentence.</param>
/// <param name="Present">Non-missing values in the window.</param>
/// <param name="Psi">PSI; null when not measured.</param>
/// <param name="Severity">none, warning or critical (the PSI band).</param>
/// <param name="DecidedBy">The deciding measure (psi, ks, chi_square, two_proportion_z, wasserstein…); null when not measured.</param>
/// <param name="EffectSize">The deciding measure's effect size.</param>
/// <param name="PValue">The type's test p-value.</param>
/// <param name="AdjustedPValue">Its Benjamini–Hochberg adjustment.</param>
/// <param name="TrimmedWasserstein">Numeric features: the normalised Wasserstein distance over the central 98 %.</param>
/// <param name="Measures">Every measure computed.</param>
/// <param name="Bins">The shared bins with both samples' counts; null when not measured.</param>
/// <param name="Quality">Missing, zero, out-of-range and unseen-category rates against the reference; null when not checked.</param>
public sealed record FeatureFigures(
    string Feature,
    string Type,
    string Verdict,
    string Reason,
    long Present,
    double? Psi,
    string Severity,
    string? DecidedBy,
    double? EffectSize,
    double? PValue,
    double? AdjustedPValue,
    double? TrimmedWasserstein,
    IReadOnlyList<MeasureFigures> Measures,
    BinFigures? Bins,
    QualityFigures? Quality)
{
    internal static FeatureFigures Of(FeatureDriftVerdict d, FeatureQuality? q)
    {
        var report = d.Report;
        return new FeatureFigures(
            d.Feature,
            d.Type.ToString().ToLowerInvariant(),
            d.Verdict switch { DriftVerdict.Stable => "stable", DriftVerdict.Drifted => "drifted", _ => "insufficient_data" },
            d.Reason,
            d.CurrentCount,
            report is null ? null : WindowReportDocument.Finite(d.Psi),
            WindowReportDocument.Name(d.Severity),
            report is null ? null : WindowReportDocument.Name(report.DecisionMethod),
            report is null ? null : WindowReportDocument.Finite(d.EffectSize),
            WindowReportDocument.Finite(d.PValue),
            WindowReportDocument.Finite(d.AdjustedPValue),
            WindowReportDocument.Finite(d.TrimmedWasserstein),
            report?.Results.Select(MeasureFigures.Of).ToList() ?? [],
            report is null ? null : new BinFigures(report.Bins.Labels, report.Bins.Edges?.Select(e => WindowReportDocument.Finite(e)).ToList(), report.Bins.ReferenceCounts, report.Bins.CurrentCounts),
            q is null ? null : QualityFigures.Of(q));
    }
}

/// <summary>One drift measure of a feature.</summary>
/// <param name="Method">psi, kl, jensen_shannon, ks, chi_square, two_proportion_z or wasserstein.</param>
/// <param name="Statistic">The statistic.</param>
/// <param name="PValue">Its p-value, for tests.</param>
/// <param name="EffectSize">Its effect size.</param>
/// <param name="Threshold">The threshold it is judged against.</param>
/// <param name="Drifted">Its own decision.</param>
/// <param name="Approximate">True when computed from the stored profile's bins rather than raw values.</param>
public sealed record MeasureFigures(string Method, double? Statistic, double? PValue, double? EffectSize, double? Threshold, bool Drifted, bool Approximate)
{
    internal static MeasureFigures Of(DriftResult r) =>
        new(WindowReportDocument.Name(r.Method), WindowReportDocument.Finite(r.Statistic), WindowReportDocument.Finite(r.PValue), WindowReportDocument.Finite(r.EffectSize), WindowReportDocument.Finite(r.Threshold), r.Drifted, r.Approximate);
}

/// <summary>A feature's bins: labels, numeric edges (right-closed; null for categories), and counts per bin.</summary>
/// <param name="Labels">One label per bin.</param>
/// <param name="Edges">Numeric edges; null for categorical bins (an infinite edge is null).</param>
/// <param name="Reference">Reference observations per bin.</param>
/// <param name="Current">Window observations per bin.</param>
public sealed record BinFigures(IReadOnlyList<string> Labels, IReadOnlyList<double?>? Edges, IReadOnlyList<long> Reference, IReadOnlyList<long> Current);

/// <summary>A feature's data quality against the reference.</summary>
/// <param name="Verdict">ok, failed or insufficient_data.</param>
/// <param name="MissingRate">Share of leads without a value.</param>
/// <param name="ReferenceMissingRate">The reference's share.</param>
/// <param name="ZeroRate">Numeric: share of zeros.</param>
/// <param name="ReferenceZeroRate">The reference's share of zeros.</param>
/// <param name="OutOfRangeRate">Share outside the reference's [min, max].</param>
/// <param name="UnseenCategoryRate">Categorical: share in categories the reference never saw.</param>
/// <param name="UnseenCategories">Up to 10 unseen categories, most frequent first.</param>
/// <param name="Problems">One sentence per limit exceeded.</param>
public sealed record QualityFigures(
    string Verdict,
    double MissingRate,
    double ReferenceMissingRate,
    double? ZeroRate,
    double? ReferenceZeroRate,
    double? OutOfRangeRate,
    double? UnseenCategoryRate,
    IReadOnlyList<string> UnseenCategories,
    IReadOnlyList<string> Problems)
{
    internal static QualityFigures Of(FeatureQuality q) => new(
        q.Verdict switch { QualityVerdict.Ok => "ok", QualityVerdict.Failed => "failed", _ => "insufficient_data" },
        q.MissingRate,
        q.ReferenceMissingRate,
        WindowReportDocument.Finite(q.ZeroRate),
        WindowReportDocument.Finite(q.ReferenceZeroRate),
        WindowReportDocument.Finite(q.OutOfRangeRate),
        WindowReportDocument.Finite(q.UnseenCategoryRate),
        q.UnseenCategories,
        q.Problems);
}

/// <summary>A drifted feature's estimated effect on performance (label-free, by reweighting the reference).</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="EstimatedAuc">Estimated ROC AUC on the window.</param>
/// <param name="ReferenceLikeAuc">Estimated AUC had this feature kept its reference distribution.</param>
/// <param name="AucChange">The difference: this feature's share of the change.</param>
/// <param name="EstimatedPositiveRate">Estimated conversion rate on the window.</param>
/// <param name="ReferenceLikePositiveRate">Estimated rate had this feature kept its reference distribution.</param>
public sealed record ImpactFigures(string Feature, double? EstimatedAuc, double? ReferenceLikeAuc, double? AucChange, double? EstimatedPositiveRate, double? ReferenceLikePositiveRate);

/// <summary>Prediction drift: the score distribution against the reference's, the mean score and the band shares.</summary>
/// <param name="Leads">Scored leads.</param>
/// <param name="MeanScore">Mean score in the window.</param>
/// <param name="ReferenceMeanScore">Mean score of the reference, when stored.</param>
/// <param name="ScorePsi">PSI of the scores; null when not measured.</param>
/// <param name="Severity">none, warning or critical.</param>
/// <param name="Bins">The score bins with both samples' counts; null when not measured.</param>
/// <param name="Bands">Leads and share per band.</param>
public sealed record PredictionFigures(long Leads, double? MeanScore, double? ReferenceMeanScore, double? ScorePsi, string Severity, BinFigures? Bins, IReadOnlyList<BandShareFigures> Bands)
{
    internal static PredictionFigures Of(PredictionDriftReport p) => new(
        p.Count,
        WindowReportDocument.Finite(p.MeanScore),
        WindowReportDocument.Finite(p.ReferenceMeanScore),
        WindowReportDocument.Finite(p.ScorePsi),
        WindowReportDocument.Name(p.ScoreDrift?.Severity ?? DriftSeverity.None),
        p.ScoreDrift is { } d ? new BinFigures(d.Bins.Labels, d.Bins.Edges?.Select(e => WindowReportDocument.Finite(e)).ToList(), d.Bins.ReferenceCounts, d.Bins.CurrentCounts) : null,
        p.Bands.Select(b => new BandShareFigures(b.Band, b.Count, b.Share)).ToList());
}

/// <summary>One band's share of the window's leads.</summary>
/// <param name="Band">Band name.</param>
/// <param name="Leads">Leads in it.</param>
/// <param name="Share">Its share.</param>
public sealed record BandShareFigures(string Band, long Leads, double Share);

/// <summary>Realised performance (null with a note when it cannot be measured) and the CBPE estimate.</summary>
/// <param name="Realised">Measured on labelled leads; null when too few.</param>
/// <param name="RealisedNote">Why realised is missing.</param>
/// <param name="Estimated">The label-free estimate (CBPE) over every scored lead: an estimate, not a measurement.</param>
public sealed record PerformanceFigures(RealisedFigures? Realised, string? RealisedNote, EstimatedFigures? Estimated)
{
    internal static PerformanceFigures Of(PerformanceReport p) => new(
        p.Realised is { } r ? RealisedFigures.Of(r) : null,
        p.RealisedNote,
        p.Estimated is { } e ? new EstimatedFigures(e.Count, e.Threshold, WindowReportDocument.Finite(e.RocAuc), WindowReportDocument.Finite(e.Precision), WindowReportDocument.Finite(e.Recall), WindowReportDocument.Finite(e.F1), WindowReportDocument.Finite(e.PositiveRate)) : null);
}

/// <summary>Performance measured on the window's labelled leads.</summary>
/// <param name="Labelled">Labelled leads.</param>
/// <param name="Conversions">Converted among them.</param>
/// <param name="RocAuc">ROC AUC.</param>
/// <param name="PrAuc">Average precision.</param>
/// <param name="Threshold">The model's threshold.</param>
/// <param name="Precision">Precision at the threshold.</param>
/// <param name="Recall">Recall at the threshold.</param>
/// <param name="F1">F1 at the threshold.</param>
/// <param name="Brier">Brier score.</param>
/// <param name="Ece">Expected calibration error.</param>
/// <param name="Calibration">The calibration table.</param>
public sealed record RealisedFigures(
    long Labelled,
    long Conversions,
    double? RocAuc,
    double? PrAuc,
    double Threshold,
    double Precision,
    double Recall,
    double F1,
    double? Brier,
    double? Ece,
    IReadOnlyList<CalibrationFigures> Calibration)
{
    internal static RealisedFigures Of(RealisedPerformance r) => new(
        r.Labelled,
        r.Conversions,
        WindowReportDocument.Finite(r.RocAuc),
        WindowReportDocument.Finite(r.PrAuc),
        r.AtThreshold.Threshold,
        r.AtThreshold.Precision,
        r.AtThreshold.Recall,
        r.AtThreshold.F1,
        WindowReportDocument.Finite(r.Brier),
        WindowReportDocument.Finite(r.ExpectedCalibrationError),
        r.Calibration.Select(c => new CalibrationFigures(c.Lower, c.Upper, c.Count, c.MeanScore, c.ObservedRate)).ToList());
}

/// <summary>One calibration bin.</summary>
/// <param name="Lower">Lower score bound.</param>
/// <param name="Upper">Upper score bound.</param>
/// <param name="Leads">Labelled leads in it.</param>
/// <param name="MeanScore">Their mean score.</param>
/// <param name="ObservedRate">Their conversion rate.</param>
public sealed record CalibrationFigures(double Lower, double Upper, long Leads, double MeanScore, double ObservedRate);

/// <summary>The CBPE estimate: what performance should be if the scores are still calibrated.</summary>
/// <param name="Leads">Leads it is over.</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="RocAuc">Estimated ROC AUC.</param>
/// <param name="Precision">Estimated precision at the threshold.</param>
/// <param name="Recall">Estimated recall.</param>
/// <param name="F1">Estimated F1.</param>
/// <param name="PositiveRate">Estimated conversion rate (mean score).</param>
public sealed record EstimatedFigures(long Leads, double Threshold, double? RocAuc, double? Precision, double? Recall, double? F1, double? PositiveRate);

/// <summary>The window in the sales team's terms.</summary>
/// <param name="ByBand">Conversion and revenue per band.</param>
/// <param name="LiftByDecile">Lift and cumulative gain by score decile (empty when fewer than ten labelled).</param>
/// <param name="AtCapacity">Precision of each day's top K.</param>
public sealed record BusinessFigures(IReadOnlyList<BandBusinessFigures> ByBand, IReadOnlyList<LiftFigures> LiftByDecile, CapacityFigures AtCapacity)
{
    internal static BusinessFigures Of(BusinessReport b) => new(
        b.ByBand.Select(x => new BandBusinessFigures(x.Band, x.Leads, x.Labelled, x.Conversions, x.ConversionRate, x.RevenuePerLead)).ToList(),
        b.LiftByDecile.Select(l => new LiftFigures(l.Group, l.Count, l.Conversions, l.MinScore, l.MaxScore, l.ConversionRate, WindowReportDocument.Finite(l.Lift), WindowReportDocument.Finite(l.CumulativeGain), WindowReportDocument.Finite(l.CumulativeLift))).ToList(),
        new CapacityFigures(b.AtCapacity.Capacity, b.AtCapacity.Days, b.AtCapacity.Selected, b.AtCapacity.Labelled, b.AtCapacity.Conversions, b.AtCapacity.Precision, b.AtCapacity.BaseRate, b.AtCapacity.Lift));
}

/// <summary>One band's business figures.</summary>
/// <param name="Band">Band name.</param>
/// <param name="Leads">Leads scored into it.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="Conversions">Converted among the labelled.</param>
/// <param name="ConversionRate">Conversions / labelled.</param>
/// <param name="RevenuePerLead">Revenue / labelled.</param>
public sealed record BandBusinessFigures(string Band, long Leads, long Labelled, long Conversions, double ConversionRate, double RevenuePerLead);

/// <summary>One score decile (1 = best scored).</summary>
/// <param name="Decile">The group.</param>
/// <param name="Leads">Labelled leads in it.</param>
/// <param name="Conversions">Converted among them.</param>
/// <param name="MinScore">Lowest score.</param>
/// <param name="MaxScore">Highest score.</param>
/// <param name="ConversionRate">Its conversion rate.</param>
/// <param name="Lift">Its rate over the base rate.</param>
/// <param name="CumulativeGain">Share of all conversions in this and better deciles.</param>
/// <param name="CumulativeLift">Cumulative rate over the base rate.</param>
public sealed record LiftFigures(int Decile, long Leads, long Conversions, double MinScore, double MaxScore, double ConversionRate, double? Lift, double? CumulativeGain, double? CumulativeLift);

/// <summary>Precision at the sales team's daily capacity.</summary>
/// <param name="Capacity">K, leads called per day.</param>
/// <param name="Days">Days with scored leads.</param>
/// <param name="Selected">Leads in the days' top K.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="Conversions">Converted among them.</param>
/// <param name="Precision">Conversions / labelled.</param>
/// <param name="BaseRate">Conversion rate of every labelled lead.</param>
/// <param name="Lift">Precision / base rate.</param>
public sealed record CapacityFigures(int Capacity, int Days, long Selected, long Labelled, long Conversions, double Precision, double BaseRate, double Lift);
