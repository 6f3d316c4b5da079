using System.Diagnostics;
using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tuning;

namespace LeadScoring.Benchmarks.Training;

/// <summary>
/// Issue 11's search benchmark: one hyper-parameter search (random search with successive halving, all three
/// learners) with expanding-window time-series CV, on simulated leads whose conversion rules drift (baseline for the
/// first two thirds, the concept-drift world for the last third). Prints every fold evaluation, then the wall time,
/// trials completed/pruned/failed, each learner's best and the winner's latest-fold AUC.
/// <code>
/// dotnet run -c Release --project bench/LeadScoring.Benchmarks -- search [--rows 100000] [--trials 50] [--folds 5] [--seed 42] [--threads 2]
/// </code>
/// </summary>
internal static class SearchCommand
{
    public const string Name = "search";

    public static void Run(string[] args)
    {
        var rows = Int(args, "--rows", 100_000);
        var options = new HyperparameterSearchOptions(
            Trials: Int(args, "--trials", 50),
            Folds: Int(args, "--folds", 5),
            Seed: Int(args, "--seed", 42),
            Threads: Int(args, "--threads", 2));
        var before = LeadSimulator.Generate(new SimulationOptions(rows * 2 / 3, options.Seed, Scenario.Baseline, SimulationOptions.DefaultStart, Days: 120)).Table;
        var after = LeadSimulator.Generate(new SimulationOptions(rows - before.Count, options.Seed + 1, Scenario.ConceptDrift, SimulationOptions.DefaultStart.AddDays(120), Days: 60)).Table;
        var table = Concat(before, after);
        Print($"search: {table.Count:N0} simulated leads (baseline, then concept drift from day 120), {options.Trials} trials, {options.Folds} time folds, eta {options.Eta}, {options.Threads} threads, {Environment.ProcessorCount} cores; load {Load()}");

        var watch = Stopwatch.StartNew();
        var result = HyperparameterSearch.Run(table, options, TimeProvider.System, new ConsoleProgress());
        watch.Stop();

        Print($"wall time {watch.Elapsed.TotalSeconds:F1} s; trials {result.Trials.Count}: completed {result.Count(TrialStatus.Completed)}, pruned {result.Count(TrialStatus.Pruned)}, failed {result.Count(TrialStatus.Failed)}; fold evaluations {result.Trials.Sum(t => t.Folds.Count)} (a full grid of the same trials: {options.Trials * options.Folds}); load {Load()}");
        foreach (var best in result.BestPerLearner)
        {
            Print($"  best {LearnerNames.Name(best.Learner)}: trial {best.Number}, mean AUC {best.MeanAuc:F4}, latest-fold AUC {best.LatestFoldAuc:F4}, {best.Duration.TotalSeconds:F1} s ({best.Parameters}; trees kept {string.Join("/", best.Folds.Select(f => f.Trees?.ToString(CultureInfo.InvariantCulture) ?? "-"))})");
        }

        if (result.Winner is { } winner)
        {
            Print($"winner: {LearnerNames.Name(winner.Learner)} trial {winner.Number}, latest-fold AUC {winner.LatestFoldAuc:F4}, mean AUC {winner.MeanAuc:F4}");
        }
    }

    private static LeadTable Concat(LeadTable a, LeadTable b)
    {
        var columns = a.Columns.Select((c, i) => c switch
        {
            NumericColumn n => (FeatureColumn)new NumericColumn(n.Spec, [.. n.Values, .. ((NumericColumn)b.Columns[i]).Values]),
            CategoricalColumn cat => new CategoricalColumn(cat.Spec, [.. cat.Values, .. ((CategoricalColumn)b.Columns[i]).Values]),
            _ => throw new InvalidOperationException("unknown column kind"),
        }).ToList();
        return new LeadTable(a.Schema, columns, [.. a.Ids!, .. b.Ids!], [.. a.Timestamps!, .. b.Timestamps!], [.. a.Labels!, .. b.Labels!], [.. a.Revenue!, .. b.Revenue!]);
    }

    private static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Print(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

    private sealed class ConsoleProgress : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => Console.WriteLine(value.ToString());
    }
}
