using LeadScoring.Modeling.Tuning;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Follows a search as it runs: every finished fold evaluation adds to its trial's scores, and the trials that changed
/// since the last look are handed out as stored rows (status "running" until the search ends and says how each
/// ended). Reported on the searching thread, read from the run's async loop: guarded by a lock.
/// </summary>
internal sealed class TrialProgress(long runId, IProgress<string>? lines) : IProgress<SearchProgress>
{
    /// <summary>A trial's stored status while the search still works on it.</summary>
    public const string Running = "running";

    private readonly Lock _lock = new();
    private readonly Dictionary<int, (TrialParameters Parameters, List<FoldScore> Folds)> _trials = [];
    private readonly HashSet<int> _changed = [];

    /// <inheritdoc />
    public void Report(SearchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (!_trials.TryGetValue(value.Trial, out var trial))
            {
                trial = (value.Parameters, []);
                _trials[value.Trial] = trial;
            }

            trial.Folds.Add(value.Score);
            _changed.Add(value.Trial);
        }

        lines?.Report(value.ToString());
    }

    /// <summary>The trials that changed since the last call, as stored rows.</summary>
    public IReadOnlyList<RetrainingTrial> TakeChanged()
    {
        lock (_lock)
        {
            // Stored as the search document stores a finished trial, with its status "running" and the folds so far.
            var rows = _changed.Order()
                .Select(n => RetrainingSearchDocument.ToStored(runId, new TrialResult(n, _trials[n].Parameters, [.. _trials[n].Folds], null, TrialStatus.Completed, null, null, TimeSpan.Zero), Running))
                .ToList();
            _changed.Clear();
            return rows;
        }
    }
}
