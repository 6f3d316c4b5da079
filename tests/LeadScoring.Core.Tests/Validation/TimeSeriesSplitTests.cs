using LeadScoring.Core.Validation;

namespace LeadScoring.Core.Tests.Validation;

/// <summary>Expanding-window time-series folds: in time order, no leakage across a cut, equal blocks, clear refusals.</summary>
public sealed class TimeSeriesSplitTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Five_folds_of_sixty_shuffled_rows_train_on_the_past_and_validate_on_the_next_block()
    {
        var random = new Random(7);
        var times = Enumerable.Range(0, 60).Select(h => Start.AddHours(h)).OrderBy(_ => random.Next()).ToArray();

        var folds = TimeSeriesSplit.Expanding(times, 5);

        Assert.Equal([1, 2, 3, 4, 5], folds.Select(f => f.Index));
        Assert.Equal([10, 20, 30, 40, 50], folds.Select(f => f.Train.Count));
        Assert.All(folds, f => Assert.Equal(10, f.Validation.Count));
        Assert.All(folds, f => Assert.True(f.Train.Max(i => times[i]) < f.Validation.Min(i => times[i])));
        Assert.Equal(Start.AddHours(50), folds[^1].ValidationFrom);
        Assert.Equal(Start.AddHours(59), folds[^1].ValidationTo);
        // Expanding: each fold trains on the previous fold's training rows and its validation rows.
        for (var k = 1; k < folds.Count; k++)
        {
            Assert.Equal(folds[k - 1].Train.Concat(folds[k - 1].Validation).Order(), folds[k].Train.Order());
        }

        // Every row after the first block is validated exactly once.
        Assert.Equal(50, folds.SelectMany(f => f.Validation).Distinct().Count());
    }

    [Fact]
    public void Rows_sharing_a_timestamp_are_never_split_by_a_cut()
    {
        // 60 rows over six days (15 on day 1, 9 on the others): the cuts at rows 20 and 40 fall inside day 1 and day 3, and move past them.
        var times = Enumerable.Range(0, 6).SelectMany(d => Enumerable.Repeat(Start.AddDays(d), d == 1 ? 15 : 9)).ToArray();

        var folds = TimeSeriesSplit.Expanding(times, 2);

        Assert.All(folds, f => Assert.Empty(f.Train.Select(i => times[i]).Intersect(f.Validation.Select(i => times[i]))));
        Assert.Equal(times.Length, folds[^1].Train.Count + folds[^1].Validation.Count);
        Assert.Equal([24, 42], folds.Select(f => f.Train.Count));
    }

    [Fact]
    public void Too_few_distinct_times_and_no_folds_are_refused()
    {
        var twoDays = Enumerable.Range(0, 20).Select(i => Start.AddDays(i % 2)).ToArray();

        var error = Assert.Throws<ArgumentException>(() => TimeSeriesSplit.Expanding(twoDays, 3));
        Assert.Contains("20 rows at 2 distinct times cannot make 3 time-ordered folds", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeSeriesSplit.Expanding(twoDays, 0));
        Assert.Single(TimeSeriesSplit.Expanding(twoDays, 1));
    }
}
