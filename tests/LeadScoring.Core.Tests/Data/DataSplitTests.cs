using LeadScoring.Core.Data;

namespace LeadScoring.Core.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void A_stratified_split_keeps_the_conversion_rate_in_both_parts()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 4 == 0).ToArray();

        var split = DataSplit.Stratified(labels, 0.2, seed: 1);

        Assert.Equal(200, split.Test.Length);
        Assert.Equal(800, split.Train.Length);
        Assert.Equal(50, split.Test.Count(i => labels[i]));
        Assert.Empty(split.Train.Intersect(split.Test));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_does_not()
    {
        var labels = Enumerable.Range(0, 500).Select(i => i % 3 == 0).ToArray();

        Assert.Equal(DataSplit.Stratified(labels, 0.2, 7).Test, DataSplit.Stratified(labels, 0.2, 7).Test);
        Assert.NotEqual(DataSplit.Stratified(labels, 0.2, 7).Test, DataSplit.Stratified(labels, 0.2, 8).Test);
    }

    [Fact]
    public void A_time_split_holds_out_the_latest_leads()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, 10).Select(i => start.AddDays((i * 7) % 10)).ToArray();

        var split = DataSplit.ByTime(times, 0.3);

        Assert.Equal(SplitKind.Time, split.Kind);
        Assert.Equal(3, split.Test.Length);
        Assert.True(split.Train.Max(i => times[i]) <= split.Test.Min(i => times[i]));
        Assert.Equal(start.AddDays(7), split.TestFrom);
    }

    [Fact]
    public void Folds_are_balanced_by_outcome()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i < 30).ToArray();

        var folds = DataSplit.StratifiedFolds(labels, 5, seed: 3);

        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(20, folds.Count(f => f == k));
            Assert.Equal(6, Enumerable.Range(0, 100).Count(i => folds[i] == k && labels[i]));
        }
    }
}
