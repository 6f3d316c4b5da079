using System.Text.Json;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Storage.Monitoring;

/// <summary>Checks a run and its figures before anything is written; a bad one is an <see cref="ArgumentException"/> naming the field.</summary>
internal static class MonitoringValidation
{
    public static void Validate(MonitoringRun run, IReadOnlyList<MonitoringFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(figures);
        Require(MonitoringRunKinds.All.Contains(run.Kind ?? ""), "run.Kind", $"must be one of {string.Join(", ", MonitoringRunKinds.All.Order(StringComparer.Ordinal))}");
        Require(!string.IsNullOrWhiteSpace(run.ModelName), "run.ModelName", "must not be empty");
        ValidateScope(run.ModelVersion, run.Arm, "run");
        Require(run.WindowTo > run.WindowFrom, "run.WindowTo", "must be after WindowFrom");
        Require(run.FinishedAt >= run.StartedAt, "run.FinishedAt", "must not be before StartedAt");
        Require(MonitoringRunStatuses.All.Contains(run.Status ?? ""), "run.Status", $"must be one of {string.Join(", ", MonitoringRunStatuses.All.Order(StringComparer.Ordinal))}");
        Require(IsJsonObject(run.SummaryJson), "run.SummaryJson", "must be a JSON object");
        Require(run.ReportPath is null || !string.IsNullOrWhiteSpace(run.ReportPath), "run.ReportPath", "must be null or a path");

        var seen = new HashSet<(string, string?)>();
        for (var i = 0; i < figures.Count; i++)
        {
            var f = figures[i];
            var at = $"figures[{i}]";
            Require(f is not null, at, "must not be null");
            Require(!string.IsNullOrWhiteSpace(f!.Metric), at + ".Metric", "must not be empty");
            Require(f.Feature is null || !string.IsNullOrWhiteSpace(f.Feature), at + ".Feature", "must be null or a name");
            Require(double.IsFinite(f.Value), at + ".Value", "must be finite (leave out a figure that could not be computed)");
            Require(f.PValue is null || (f.PValue >= 0 && f.PValue <= 1), at + ".PValue", "must be null or in [0, 1]");
            Require(f.Verdict is null || !string.IsNullOrWhiteSpace(f.Verdict), at + ".Verdict", "must be null or a word");
            Require(seen.Add((f.Metric, f.Feature)), at, $"repeats metric '{f.Metric}' of feature '{f.Feature ?? "(none)"}'");
        }
    }

    public static void ValidateScope(int? version, string? arm, string prefix)
    {
        Require(version is null or >= 1, prefix + ".ModelVersion", "must be null or at least 1");
        Require(arm is null || ServingArms.All.Contains(arm), prefix + ".Arm", $"must be null or one of {string.Join(", ", ServingArms.All.Order(StringComparer.Ordinal))}");
    }

    public static void Require(bool ok, string field, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {problem}", field);
        }
    }

    private static bool IsJsonObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
