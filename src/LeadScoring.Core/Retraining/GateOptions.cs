namespace LeadScoring.Core.Retraining;

/// <summary>The promotion gate's thresholds (defaults from issue 11).</summary>
/// <param name="MinRelativeAucGain">The challenger passes on ranking when its ROC AUC is higher by at least this relative share (default 2 %).</param>
/// <param name="MinCapturedGain">... or on business value when it captures at least this relative share more conversions at the daily capacity (default 5 %).</param>
/// <param name="DailyCapacity">How many leads the sales team can call in a day: the top K per UTC day (default 100).</param>
/// <param name="EceTolerance">How much the challenger's expected calibration error may exceed the champion's, absolute (default 0: not worse at all).</param>
/// <param name="CalibrationBins">Equal-width bins of the calibration table behind the ECE (default 10).</param>
/// <param name="Alpha">Significance level of the reported DeLong comparison and its 1 − Alpha interval (default 0.05); the gate does not require significance.</param>
public sealed record GateOptions(
    double MinRelativeAucGain = 0.02,
    double MinCapturedGain = 0.05,
    int DailyCapacity = 100,
    double EceTolerance = 0.0,
    int CalibrationBins = 10,
    double Alpha = 0.05)
{
    /// <summary>The defaults.</summary>
    public static readonly GateOptions Default = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(MinRelativeAucGain >= 0 && MinRelativeAucGain < 1, nameof(MinRelativeAucGain), MinRelativeAucGain, "must lie in [0, 1)");
        Require(MinCapturedGain >= 0 && double.IsFinite(MinCapturedGain), nameof(MinCapturedGain), MinCapturedGain, "must be a finite number ≥ 0");
        Require(DailyCapacity >= 1, nameof(DailyCapacity), DailyCapacity, "must be at least 1");
        Require(EceTolerance >= 0 && EceTolerance < 1, nameof(EceTolerance), EceTolerance, "must lie in [0, 1)");
        Require(CalibrationBins >= 1, nameof(CalibrationBins), CalibrationBins, "must be at least 1");
        Require(Alpha is > 0 and < 1, nameof(Alpha), Alpha, "must lie in (0, 1)");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}
