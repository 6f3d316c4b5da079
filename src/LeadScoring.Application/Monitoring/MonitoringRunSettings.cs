using System.Globalization;
using LeadScoring.Core.Monitoring;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// What monitoring runs judge against (configuration section <see cref="SectionName"/>); the defaults are
/// <see cref="MonitoringOptions"/>' (docs/statistics.md, "Monitoring a window"). The host binds and validates it.
/// </summary>
public sealed class MonitoringRunSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LeadScoring:Monitoring";

    /// <summary>Leads sales can call per day: precision at capacity takes each day's K best-scored leads (100).</summary>
    public int DailyCallCapacity { get; set; } = MonitoringOptions.Default.DailyCapacity;

    /// <summary>Fewer values than this in a window and a feature's drift has no verdict (100).</summary>
    public int MinimumSampleSize { get; set; } = MonitoringOptions.Default.MinimumSampleSize;

    /// <summary>Decision threshold for precision and recall (0.5).</summary>
    public double Threshold { get; set; } = MonitoringOptions.Default.Threshold;

    /// <summary>Equal-width calibration bins (10).</summary>
    public int CalibrationBins { get; set; } = MonitoringOptions.Default.CalibrationBins;

    /// <summary>A feature fails quality when its missing rate rises by more than this (0.10).</summary>
    public double MaxMissingRateIncrease { get; set; } = MonitoringOptions.Default.MaxMissingRateIncrease;

    /// <summary>A numeric feature fails quality when its share of zeros rises by more than this (0.10).</summary>
    public double MaxZeroRateIncrease { get; set; } = MonitoringOptions.Default.MaxZeroRateIncrease;

    /// <summary>A numeric feature fails quality when more than this share lies outside the reference's range (0.05).</summary>
    public double MaxOutOfRangeRate { get; set; } = MonitoringOptions.Default.MaxOutOfRangeRate;

    /// <summary>A categorical feature fails quality when more than this share are unseen categories (0.05).</summary>
    public double MaxUnseenCategoryRate { get; set; } = MonitoringOptions.Default.MaxUnseenCategoryRate;

    /// <summary>
    /// A window's labels count as mature only once this share of its leads has an outcome (0.8), besides being older
    /// than the P90 conversion delay: the delay is measured on the outcomes received so far, and while the slow ones
    /// (leads closed as lost weeks later) are still out it is too short, which would call a window of early
    /// conversions "final". 0 trusts the delay alone (a CRM that reports conversions only).
    /// </summary>
    public double MatureLabelledShare { get; set; } = 0.8;

    /// <summary>
    /// Where the weekly check writes its HTML drift reports (one file per version and arm, named in the run's
    /// report_path); null writes none. The server sets it to <c>&lt;DataDirectory&gt;/reports</c> unless configured.
    /// </summary>
    public string? ReportDirectory { get; set; }

    /// <summary>The settings as the monitor takes them.</summary>
    public MonitoringOptions ToMonitoringOptions() => MonitoringOptions.Default with
    {
        DailyCapacity = DailyCallCapacity,
        MinimumSampleSize = MinimumSampleSize,
        Threshold = Threshold,
        CalibrationBins = CalibrationBins,
        MaxMissingRateIncrease = MaxMissingRateIncrease,
        MaxZeroRateIncrease = MaxZeroRateIncrease,
        MaxOutOfRangeRate = MaxOutOfRangeRate,
        MaxUnseenCategoryRate = MaxUnseenCategoryRate,
    };

    /// <summary>One message per bad setting, each naming its key ("LeadScoring:Monitoring:DailyCallCapacity must …"); empty when all are good.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        AtLeastOne(problems, DailyCallCapacity, nameof(DailyCallCapacity));
        AtLeastOne(problems, MinimumSampleSize, nameof(MinimumSampleSize));
        AtLeastOne(problems, CalibrationBins, nameof(CalibrationBins));
        Rate(problems, Threshold, nameof(Threshold));
        Rate(problems, MaxMissingRateIncrease, nameof(MaxMissingRateIncrease));
        Rate(problems, MaxZeroRateIncrease, nameof(MaxZeroRateIncrease));
        Rate(problems, MaxOutOfRangeRate, nameof(MaxOutOfRangeRate));
        Rate(problems, MaxUnseenCategoryRate, nameof(MaxUnseenCategoryRate));
        Rate(problems, MatureLabelledShare, nameof(MatureLabelledShare));
        return problems;
    }

    private static void AtLeastOne(List<string> problems, int value, string key)
    {
        if (value < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} must be at least 1 (got {value})"));
        }
    }

    private static void Rate(List<string> problems, double value, string key)
    {
        if (!(value >= 0 && value <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} must lie in [0, 1] (got {value})"));
        }
    }
}
