using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Cli.Commands;

/// <summary>How `leadscore retrain` prints runs, steps and trials for a person (--json prints the API's documents).</summary>
internal static class RetrainText
{
    public static string List(RetrainingPageDocument page)
    {
        if (page.Runs.Count == 0)
        {
            return "no retraining runs" + Environment.NewLine;
        }

        var text = new StringBuilder();
        text.AppendLine("  id  model             trigger   status             candidate  updated            detail");
        foreach (var r in page.Runs)
        {
            text.AppendLine(Invariant($"{r.Id,4}  {r.Model,-16}  {r.Trigger,-8}  {r.Status,-17}  {(r.CandidateVersion is { } v ? "v" + v : "-"),-9}  {r.UpdatedAt:yyyy-MM-dd HH:mm}Z  {Cut(r.StatusDetail, 80)}"));
        }

        return text.ToString();
    }

    public static string Show(RetrainingRunDetailDocument detail)
    {
        var r = detail.Run;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"run {r.Id}  {r.Model}  {r.Trigger}  {r.Status}"));
        text.AppendLine(Invariant($"  trigger    {r.TriggerDetail ?? "-"} (requested by {r.RequestedBy}{(r.Reason is null ? "" : ": " + r.Reason)})"));
        text.AppendLine(Invariant($"  times      created {r.CreatedAt:yyyy-MM-dd HH:mm:ss}Z, started {Time(r.StartedAt)}, ended {Time(r.EndedAt)}"));
        if (r.Data is { } data)
        {
            text.AppendLine(Invariant($"  data       {Str(data, "source")}: {Num(data, "rows")} leads ({Num(data, "positives")} converted) from {Str(data, "from")} to {Str(data, "to")}"));
            if (Str(data, "sha256") is { Length: > 0 } sha and not "-")
            {
                text.AppendLine(Invariant($"  snapshot   {Path.GetFileName(Str(data, "snapshot_file"))} sha256 {sha}"));
            }
        }

        if (r.Search is { } search)
        {
            text.AppendLine("  search     " + SearchLine(search));
        }

        if (r.Gate is { } gate)
        {
            text.AppendLine(Invariant($"  gate       {(gate.TryGetProperty("passed", out var p) && p.ValueKind == JsonValueKind.True ? "PASSED" : "FAILED")}"));
            if (gate.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
            {
                foreach (var reason in reasons.EnumerateArray())
                {
                    text.AppendLine("             " + reason.GetString());
                }
            }
        }

        text.AppendLine(Invariant($"  candidate  {(r.CandidateVersion is { } v ? "v" + v : "-")}{(r.DeploymentId is { } d ? $" (deployment {d})" : "")}"));
        text.AppendLine(Invariant($"  status     {WithoutGate(r.StatusDetail, r.Gate) ?? "-"}"));
        text.AppendLine(Invariant($"steps ({detail.Events.Count})"));
        foreach (var e in detail.Events)
        {
            text.AppendLine(Invariant($"  {e.At:yyyy-MM-dd HH:mm:ss}Z  {e.Step,-17}  {e.Actor,-12}  {Cut(WithoutGate(e.Detail, r.Gate), 160)}"));
        }

        text.AppendLine(Invariant($"trials ({detail.Trials.Count}): {detail.Trials.Count(t => t.Status == "completed")} completed, {detail.Trials.Count(t => t.Status.StartsWith("pruned", StringComparison.Ordinal))} pruned, {detail.Trials.Count(t => t.Status == "failed")} failed"));
        return text.ToString();
    }

    public static string Event(RetrainingEvent e) => Invariant($"retrain: {e.At:yyyy-MM-dd HH:mm:ss}Z {e.Step}: {e.Detail}");

    public static string Trial(RetrainingTrial t, RetrainingRun run) =>
        Invariant($"retrain: run {run.Id} trial {t.Number,3} {t.Learner,-19} {t.Status,-10} mean ROC AUC {Score(t.MeanScore)}, latest fold {Score(t.LatestFoldScore)} ({t.DurationMs / 1000:0.0} s)");

    private static string SearchLine(JsonElement search)
    {
        var best = search.TryGetProperty("best", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        var bestText = best.ValueKind == JsonValueKind.Object
            ? Invariant($"; best trial {Num(best, "number")} {Str(best, "learner")}: mean ROC AUC {Str(best, "mean_auc")}, latest fold {Str(best, "latest_fold_auc")}")
            : "";
        return Invariant($"{Num(search, "trials")} trials ({Num(search, "completed")} completed, {Num(search, "pruned")} pruned, {Num(search, "failed")} failed) in {Seconds(search, "elapsed_seconds")} s{bestText}");
    }

    // The gate's summary is printed once, reason by reason, under "gate"; the status and steps that repeat it point there.
    private static string? WithoutGate(string? detail, JsonElement? gate) =>
        detail is not null && gate is { } g && g.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 } text && detail.Contains(text, StringComparison.Ordinal)
            ? detail.Replace(text, "the gate's reasons above", StringComparison.Ordinal)
            : detail;

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetDouble().ToString("0.####", CultureInfo.InvariantCulture),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "-",
        } : "-";

    private static string Seconds(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("#,0", CultureInfo.InvariantCulture) : "-";

    private static string Score(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "  -   ";

    private static string Time(DateTimeOffset? at) => at is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "-";

    private static string Cut(string? text, int max) => text is null ? "" : text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
