namespace LeadScoring.Core.Validation;

/// <summary>
/// One fold of a time-series cross-validation: train on everything before the validation block, validate on the block.
/// Indices point into the rows as given; each list is in time order.
/// </summary>
/// <param name="Index">The fold's number, 1 = earliest validation block; the last fold is the latest.</param>
/// <param name="Train">Rows to train on: every row before <paramref name="ValidationFrom"/>.</param>
/// <param name="Validation">Rows to validate on.</param>
/// <param name="ValidationFrom">The first validation row's time.</param>
/// <param name="ValidationTo">The last validation row's time.</param>
public sealed record TimeFold(int Index, IReadOnlyList<int> Train, IReadOnlyList<int> Validation, DateTimeOffset ValidationFrom, DateTimeOffset ValidationTo);

/// <summary>
/// Expanding-window time-series cross-validation: the rows in time order are cut into k + 1 blocks of (nearly) equal
/// size; fold i trains on blocks 0 … i − 1 and validates on block i. Nothing is shuffled across time, and rows
/// sharing a timestamp never straddle a cut (a cut moves forward past them), so no fold validates on a moment it
/// also trained on. The last fold, validating on the latest block, is the one a candidate is judged on.
/// </summary>
public static class TimeSeriesSplit
{
    /// <summary>The <paramref name="folds"/> folds of <paramref name="times"/>, earliest first.</summary>
    /// <exception cref="ArgumentException">Fewer than one fold, or too few distinct times for every block to hold a row.</exception>
    public static IReadOnlyList<TimeFold> Expanding(IReadOnlyList<DateTimeOffset> times, int folds)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ThenBy(i => i).ToArray();
        var blocks = folds + 1;
        var cuts = new int[blocks + 1];
        cuts[blocks] = order.Length;
        for (var b = 1; b < blocks; b++)
        {
            var cut = Math.Max((int)((long)order.Length * b / blocks), cuts[b - 1] + 1);
            while (cut < order.Length && cut > 0 && times[order[cut]] == times[order[cut - 1]])
            {
                cut++;
            }

            if (cut >= order.Length)
            {
                throw new ArgumentException($"{times.Count} rows at {order.Select(i => times[i]).Distinct().Count()} distinct times cannot make {folds} time-ordered folds: every one of the {blocks} blocks needs a time of its own", nameof(times));
            }

            cuts[b] = cut;
        }

        var result = new List<TimeFold>(folds);
        for (var fold = 1; fold <= folds; fold++)
        {
            var validation = order[cuts[fold]..cuts[fold + 1]];
            result.Add(new TimeFold(fold, order[..cuts[fold]], validation, times[validation[0]], times[validation[^1]]));
        }

        return result;
    }
}
