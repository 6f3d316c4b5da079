using LeadScoring.Core.Profiles;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>A score band's share of the window.</summary>
/// <param name="Band">Band name.</param>
/// <param name="Count">Leads in the band.</param>
/// <param name="Share">Count / leads in the window.</param>
public sealed record BandShare(string Band, long Count, double Share);

/// <summary>How the model's scores moved: the first sign of drift that matters, available before any outcome.</summary>
/// <param name="Count">Scored leads.</param>
/// <param name="MeanScore">Mean score of the window (NaN when empty).</param>
/// <param name="ReferenceMeanScore">Mean score on the reference rows; null when the profile has no score entry.</param>
/// <param name="ScoreDrift">PSI, KL, JS, KS and Wasserstein of the scores against the reference's (the PSI band is the severity); null when the profile has no scores or either side has fewer than the minimum sample size.</param>
/// <param name="Bands">Share of the window per band, by descending count.</param>
public sealed record PredictionDriftReport(
    long Count,
    double MeanScore,
    double? ReferenceMeanScore,
    FeatureDriftReport? ScoreDrift,
    IReadOnlyList<BandShare> Bands)
{
    /// <summary>Score PSI (null when not computed).</summary>
    public double? ScorePsi => ScoreDrift?.Psi.Statistic;

    /// <summary>Measures the window's score drift.</summary>
    public static PredictionDriftReport Of(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        var n = window.Count;
        var sum = new CompensatedSum(0);
        foreach (var s in window.Scores)
        {
            sum.Add(s);
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var band in window.Bands)
        {
            counts[band] = counts.GetValueOrDefault(band) + 1;
        }

        var bands = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new BandShare(kv.Key, kv.Value, (double)kv.Value / n)).ToList();
        FeatureDriftReport? drift = null;
        if (reference.Score is { } score && score.Count >= options.MinimumSampleSize && n >= options.MinimumSampleSize)
        {
            drift = FeatureDrift.Numeric(score, SortedSample.From(window.Scores, "scores"), options.Drift);
        }

        return new PredictionDriftReport(n, n == 0 ? double.NaN : sum.Value / n, reference.Score?.Mean, drift, bands);
    }
}
