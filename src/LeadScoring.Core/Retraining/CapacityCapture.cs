namespace LeadScoring.Core.Retraining;

/// <summary>Conversions a ranking captures when the sales team calls the top K leads of every day.</summary>
public static class CapacityCapture
{
    /// <summary>
    /// For each UTC calendar day of <paramref name="times"/>, the <paramref name="capacity"/> highest-scored leads
    /// (equal scores: the earlier row first, so the count is deterministic) and how many of them converted, summed
    /// over the days; and the number of days.
    /// </summary>
    public static (long Captured, int Days) Count(ReadOnlySpan<bool> labels, ReadOnlySpan<DateTimeOffset> times, ReadOnlySpan<double> scores, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (labels.Length != times.Length || labels.Length != scores.Length)
        {
            throw new ArgumentException($"labels, times and scores must pair up one to one (got {labels.Length}, {times.Length} and {scores.Length})", nameof(scores));
        }

        var days = new Dictionary<DateTime, List<int>>();
        for (var i = 0; i < times.Length; i++)
        {
            var day = times[i].UtcDateTime.Date;
            if (!days.TryGetValue(day, out var rows))
            {
                rows = [];
                days[day] = rows;
            }

            rows.Add(i);
        }

        long captured = 0;
        var scoreArray = scores.ToArray();
        foreach (var rows in days.Values)
        {
            // Rows are in input order, so a stable sort by descending score keeps the earlier row first on ties.
            var top = rows.OrderByDescending(i => scoreArray[i]).ThenBy(i => i).Take(capacity);
            foreach (var i in top)
            {
                captured += labels[i] ? 1 : 0;
            }
        }

        return (captured, days.Count);
    }
}
