using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>What a monitoring run judges against; defaults are documented in docs/statistics.md ("Monitoring a window").</summary>
public sealed record MonitoringOptions
{
    /// <summary>The defaults.</summary>
    public static MonitoringOptions Default { get; } = new();

    /// <summary>Drift measures, thresholds and the size-aware decision rule (see <see cref="DriftOptions"/>).</summary>
    public DriftOptions Drift { get; init; } = DriftOptions.Default;

    /// <summary>
    /// Fewer present values than this in the window (or the reference) and a feature's drift verdict is
    /// "insufficient data" (100): below it a KS or χ² test has too little power to call anything but gross drift,
    /// and PSI over ten bins is dominated by noise (a bin of 10 expected leads moves by ±3 by chance).
    /// </summary>
    public int MinimumSampleSize { get; init; } = 100;

    /// <summary>Decision threshold for precision and recall (score ≥ threshold is positive; 0.5).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Equal-width calibration bins (10).</summary>
    public int CalibrationBins { get; init; } = 10;

    /// <summary>Leads sales can call per day: precision at capacity takes each day's K best-scored leads (100).</summary>
    public int DailyCapacity { get; init; } = 100;

    /// <summary>A feature fails quality when its missing rate rises by more than this, in absolute terms (0.10).</summary>
    public double MaxMissingRateIncrease { get; init; } = 0.10;

    /// <summary>A numeric feature fails quality when its share of zeros rises by more than this (0.10).</summary>
    public double MaxZeroRateIncrease { get; init; } = 0.10;

    /// <summary>A numeric feature fails quality when more than this share of its values lies outside the reference's [min, max] (0.05).</summary>
    public double MaxOutOfRangeRate { get; init; } = 0.05;

    /// <summary>A categorical feature fails quality when more than this share of its values are categories the reference never saw (0.05).</summary>
    public double MaxUnseenCategoryRate { get; init; } = 0.05;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Drift);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSampleSize, 1, nameof(MinimumSampleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CalibrationBins, 1, nameof(CalibrationBins));
        ArgumentOutOfRangeException.ThrowIfLessThan(DailyCapacity, 1, nameof(DailyCapacity));
        Rate(Threshold, nameof(Threshold));
        Rate(MaxMissingRateIncrease, nameof(MaxMissingRateIncrease));
        Rate(MaxZeroRateIncrease, nameof(MaxZeroRateIncrease));
        Rate(MaxOutOfRangeRate, nameof(MaxOutOfRangeRate));
        Rate(MaxUnseenCategoryRate, nameof(MaxUnseenCategoryRate));
    }

    private static void Rate(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "must lie in [0, 1]");
        }
    }
}
