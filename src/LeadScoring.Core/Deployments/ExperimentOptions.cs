namespace LeadScoring.Core.Deployments;

/// <summary>Decision thresholds of the analysis (defaults from issue 8).</summary>
/// <param name="Alpha">Significance level of the always-valid tests (default 0.05).</param>
/// <param name="MinimumAucLift">Promote when the challenger's ROC AUC is higher by at least this relative share (default 2 %) and significantly so.</param>
/// <param name="MinimumLift">... or its conversion rate or revenue per lead by at least this relative share (default 5 %), significantly; also the lift the sample size is computed for.</param>
/// <param name="MaxLatencyRatio">Latency holds while the challenger's P95 is at most this multiple of the champion's (default 1.5).</param>
/// <param name="SampleRatioAlpha">The split is broken when the sample-ratio chi-square p-value is below this (default 0.001).</param>
/// <param name="Power">Power of the sample-size figure (default 0.8).</param>
/// <param name="DailyCallCapacity">K of the top-K comparison: how many leads sales can call in a day (default 100).</param>
/// <param name="ConfidenceLevel">Level of the per-arm conversion-rate intervals (default 0.95).</param>
public sealed record ExperimentOptions(
    double Alpha = 0.05,
    double MinimumAucLift = 0.02,
    double MinimumLift = 0.05,
    double MaxLatencyRatio = 1.5,
    double SampleRatioAlpha = 0.001,
    double Power = 0.8,
    int DailyCallCapacity = 100,
    double ConfidenceLevel = 0.95)
{
    /// <summary>The defaults.</summary>
    public static readonly ExperimentOptions Default = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Alpha is > 0 and < 1, nameof(Alpha), Alpha, "must lie in (0, 1)");
        Require(MinimumAucLift is > 0 and < 1, nameof(MinimumAucLift), MinimumAucLift, "must lie in (0, 1)");
        Require(MinimumLift is > 0 and < 10, nameof(MinimumLift), MinimumLift, "must lie in (0, 10)");
        Require(MaxLatencyRatio >= 1 && double.IsFinite(MaxLatencyRatio), nameof(MaxLatencyRatio), MaxLatencyRatio, "must be a finite number ≥ 1");
        Require(SampleRatioAlpha is > 0 and < 1, nameof(SampleRatioAlpha), SampleRatioAlpha, "must lie in (0, 1)");
        Require(Power is > 0 and < 1, nameof(Power), Power, "must lie in (0, 1)");
        Require(DailyCallCapacity >= 1, nameof(DailyCallCapacity), DailyCallCapacity, "must be at least 1");
        Require(ConfidenceLevel is > 0 and < 1, nameof(ConfidenceLevel), ConfidenceLevel, "must lie in (0, 1)");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}
