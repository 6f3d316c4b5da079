using LeadScoring.Core.Data;
using LeadScoring.Core.Validation;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tuning;

/// <summary>
/// A seeded hyper-parameter search: random search with successive halving over expanding-window time folds.
/// Trials are drawn up front (learners take turns). Rung budgets are counts of folds, earliest first, because the
/// earliest folds train on the fewest rows and so cost least: with 5 folds and eta 3 every trial is scored on fold 1,
/// the best third of each learner's trials also on fold 2, and the best third of those on all 5. Each learner is
/// halved on its own, so every learner listed keeps at least one trial to the end. Each learner's best completed trial
/// (by mean fold AUC) is its candidate; the winner is the candidate with the best AUC on the latest fold, since under
/// drift the latest fold is what the next weeks will look like and a simpler learner may be the one that holds up.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>
    /// Searches on <paramref name="table"/> (labelled, with timestamps). The wall-time budget is measured on
    /// <paramref name="time"/> and checked before each fold evaluation; <paramref name="progress"/> hears of each
    /// finished fold evaluation (on the searching thread); <paramref name="cancellationToken"/> stops the search with
    /// <see cref="OperationCanceledException"/>. The same table, options and seed give the same trials, settings and fold
    /// scores.
    /// </summary>
    /// <exception cref="LeadDataException">The table has no timestamps or labels, or a fold lacks an outcome.</exception>
    public static SearchResult Run(
        LeadTable table,
        HyperparameterSearchOptions options,
        TimeProvider time,
        IProgress<SearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var folds = Folds(table, options.Folds);
        var learners = options.LearnersOrAll;
        var space = options.SpaceOrDefault;
        var random = new Random(options.Seed);
        var trials = Enumerable.Range(1, options.Trials)
            .Select(n => new TrialState(n, space.Sample(random, learners[(n - 1) % learners.Count])))
            .ToList();
        var budgets = RungBudgets(options.Folds, options.Eta);
        var data = new FoldData?[folds.Count];
        var start = time.GetTimestamp();
        var stop = SearchStop.Finished;
        var evaluations = 0;
        var alive = trials;
        for (var rung = 0; rung < budgets.Count && stop == SearchStop.Finished; rung++)
        {
            foreach (var trial in alive)
            {
                while (trial.Scores.Count < budgets[rung] && !trial.Failed)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (options.WallTime is { } budget && time.GetElapsedTime(start) >= budget)
                    {
                        stop = SearchStop.WallTime;
                        break;
                    }

                    var fold = trial.Scores.Count;
                    data[fold] ??= FoldData.Encode(table, folds[fold], options.MinCategoryCount, options.Seed);
                    var began = time.GetTimestamp();
                    try
                    {
                        trial.Scores.Add(FoldEvaluator.Evaluate(trial.Parameters, data[fold]!, options));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        trial.Error = e.Message;
                    }

                    trial.Duration += time.GetElapsedTime(began);
                    evaluations++;
                    if (!trial.Failed)
                    {
                        progress?.Report(new SearchProgress(trial.Number, trial.Parameters, rung, trial.Scores[^1], evaluations, time.GetElapsedTime(start)));
                    }
                }

                if (stop != SearchStop.Finished)
                {
                    break;
                }
            }

            alive = alive.Where(t => !t.Failed).ToList();
            if (stop == SearchStop.Finished && rung < budgets.Count - 1)
            {
                alive = Halve(alive, learners, options.Eta, rung);
            }
        }

        var results = trials.Where(t => t.Scores.Count > 0 || t.Failed).Select(t => t.ToResult(folds.Count)).ToList();
        var best = learners
            .Select(l => results.Where(r => r.Learner == l && r.Status == TrialStatus.Completed).OrderByDescending(r => r.MeanAuc).ThenBy(r => r.Number).FirstOrDefault())
            .OfType<TrialResult>()
            .ToList();
        var winner = best.OrderByDescending(r => r.LatestFoldAuc).ThenByDescending(r => r.MeanAuc).ThenBy(r => r.Number).FirstOrDefault();
        return new SearchResult(results, best, winner, folds, learners, options.Seed, options.Eta, stop, time.GetElapsedTime(start));
    }

    /// <summary>
    /// Fold counts per rung, ending with all <paramref name="folds"/>: rung r of R evaluates ceil(k / eta^(R − r)) folds.
    /// </summary>
    internal static IReadOnlyList<int> RungBudgets(int folds, int eta)
    {
        var rungs = 0;
        for (long reach = 1; reach < folds; reach *= eta)
        {
            rungs++;
        }

        var budgets = new List<int>();
        for (var r = 0; r <= rungs; r++)
        {
            var budget = (int)Math.Ceiling(folds / Math.Pow(eta, rungs - r));
            if (budgets.Count == 0 || budget > budgets[^1])
            {
                budgets.Add(budget);
            }
        }

        return budgets;
    }

    private static IReadOnlyList<TimeFold> Folds(LeadTable table, int count)
    {
        var times = table.Timestamps ?? throw new LeadDataException($"the data has no timestamp column: a time-series search needs each lead's arrival time, and schema '{table.Schema.Name}' names none");
        var labels = table.Labels ?? throw new LeadDataException($"the data has no label column '{table.Schema.Label}'");
        IReadOnlyList<TimeFold> folds;
        try
        {
            folds = TimeSeriesSplit.Expanding(times, count);
        }
        catch (ArgumentException e)
        {
            throw new LeadDataException(e.Message, e);
        }

        foreach (var fold in folds)
        {
            if (!BothOutcomes(fold.Train, labels) || !BothOutcomes(fold.Validation, labels))
            {
                throw new LeadDataException($"time fold {fold.Index} of {count} has only one outcome in its training or validation rows; more data (or fewer folds) is needed");
            }
        }

        return folds;
    }

    private static bool BothOutcomes(IReadOnlyList<int> rows, bool[] labels) => rows.Any(r => labels[r]) && rows.Any(r => !labels[r]);

    // Keeps the best ceil(n / eta) of each learner's trials by mean AUC over the folds scored so far; marks the rest.
    private static List<TrialState> Halve(List<TrialState> alive, IReadOnlyList<LearnerKind> learners, int eta, int rung)
    {
        var kept = new HashSet<TrialState>();
        foreach (var learner in learners)
        {
            var group = alive.Where(t => t.Parameters.Learner == learner)
                .OrderByDescending(t => t.MeanAuc)
                .ThenBy(t => t.Number)
                .ToList();
            kept.UnionWith(group.Take((int)Math.Ceiling(group.Count / (double)eta)));
        }

        foreach (var trial in alive.Where(t => !kept.Contains(t)))
        {
            trial.PrunedAtRung = rung;
        }

        return [.. alive.Where(kept.Contains)];
    }

    private sealed class TrialState(int number, TrialParameters parameters)
    {
        public int Number { get; } = number;

        public TrialParameters Parameters { get; } = parameters;

        public List<FoldScore> Scores { get; } = [];

        public string? Error { get; set; }

        public bool Failed => Error is not null;

        public int? PrunedAtRung { get; set; }

        public TimeSpan Duration { get; set; }

        // NaN AUCs (never expected: every fold has both outcomes) rank last.
        public double MeanAuc => Scores.Count == 0 ? double.NegativeInfinity : Scores.Average(s => double.IsNaN(s.Auc) ? 0 : s.Auc);

        public TrialResult ToResult(int folds)
        {
            var status = Failed ? TrialStatus.Failed
                : PrunedAtRung is not null ? TrialStatus.Pruned
                : Scores.Count == folds ? TrialStatus.Completed
                : TrialStatus.Stopped;
            double? latest = Scores.Count == folds ? Scores[^1].Auc : null;
            return new TrialResult(Number, Parameters, [.. Scores], latest, status, PrunedAtRung, Error, Duration);
        }
    }
}
