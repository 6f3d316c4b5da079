using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Server.Tests.Monitoring.EndToEnd;

/// <summary>Which detectors fired in a window of unchanged (baseline) traffic: every one that did is a false alarm.</summary>
internal static class BaselineAlarms
{
    /// <summary>Per detector, the windows it fired in.</summary>
    public static Dictionary<string, int> Count(IReadOnlyList<MonitoringRunDetail> runs) => new()
    {
        ["data drift (any feature, BH)"] = runs.Count(r => r.Figures.Any(f => f.Metric == "drifted" && f.Value == 1)),
        ["dataset drift"] = runs.Count(r => r.Figures.Any(f => f.Metric == "dataset_drift" && f.Value == 1)),
        ["data quality failed"] = runs.Count(r => r.Figures.Any(f => f.Metric == "quality" && f.Verdict == "failed")),
        ["feature PSI warning (> 0.1, any feature)"] = runs.Count(r => r.Figures.Any(f => f.Metric == "psi" && f.Verdict is "warning" or "critical")),
        ["feature PSI critical (> 0.25, any feature)"] = runs.Count(r => r.Figures.Any(f => f.Metric == "psi" && f.Verdict == "critical")),
        ["overall PSI warning (> 0.1)"] = runs.Count(r => r.Figures.Any(f => f.Metric == "overall_psi" && f.Verdict is "warning" or "critical")),
        ["score PSI warning (> 0.1)"] = runs.Count(r => r.Figures.Any(f => f.Metric == "score_psi" && f.Verdict is "warning" or "critical")),
    };
}
