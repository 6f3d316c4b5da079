namespace LeadScoring.Core.Statistics;

/// <summary>Drift across all features of a model.</summary>
/// <param name="Features">Features checked.</param>
/// <param name="DriftedFeatures">Features whose decision says drifted.</param>
/// <param name="DriftedShare">DriftedFeatures / Features.</param>
/// <param name="OverallPsi">The unweighted mean of the features' PSI: every feature counts once, whatever its bins.</param>
/// <param name="MaxPsi">The largest feature PSI (the mean can hide one badly drifted feature).</param>
/// <param name="Severity">The PSI band of <see cref="OverallPsi"/>.</param>
/// <param name="DatasetDrifted">Whether at least <see cref="DriftOptions.DatasetDriftShare"/> of the features drifted.</param>
public sealed record DriftSummary(int Features, int DriftedFeatures, double DriftedShare, double OverallPsi, double MaxPsi, DriftSeverity Severity, bool DatasetDrifted)
{
    /// <summary>Combines per-feature reports.</summary>
    public static DriftSummary Of(IReadOnlyList<FeatureDriftReport> reports, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        options ??= DriftOptions.Default;
        options.Validate();
        if (reports.Count == 0)
        {
            throw new ArgumentException("no feature reports to summarise", nameof(reports));
        }

        var drifted = 0;
        double psiSum = 0, psiMax = 0;
        foreach (var report in reports)
        {
            drifted += report.Drifted ? 1 : 0;
            var psi = report.Psi.Statistic;
            psiSum += psi;
            psiMax = Math.Max(psiMax, psi);
        }

        var overall = psiSum / reports.Count;
        var share = (double)drifted / reports.Count;
        return new DriftSummary(reports.Count, drifted, share, overall, psiMax, options.PsiSeverity(overall), share >= options.DatasetDriftShare);
    }
}
