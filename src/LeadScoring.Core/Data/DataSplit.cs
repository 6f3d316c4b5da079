namespace LeadScoring.Core.Data;

/// <summary>How rows were divided into training and held-out test rows.</summary>
public enum SplitKind
{
    /// <summary>Random, preserving the conversion rate in both parts (no timestamp in the schema).</summary>
    StratifiedRandom,

    /// <summary>The latest rows are held out: the model is judged on leads that arrived after its training data.</summary>
    Time,
}

/// <summary>Row indices of the training and test parts of a table.</summary>
/// <param name="Kind">How the split was made.</param>
/// <param name="Train">Training rows.</param>
/// <param name="Test">Held-out rows.</param>
/// <param name="TestFrom">For a time split, the arrival time of the first test row.</param>
public sealed record DataSplit(SplitKind Kind, int[] Train, int[] Test, DateTimeOffset? TestFrom)
{
    /// <summary>
    /// Splits by time when the table has timestamps (test = the latest <paramref name="testFraction"/>),
    /// otherwise at random within each outcome so both parts keep the conversion rate.
    /// </summary>
    public static DataSplit Create(LeadTable table, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1");
        }

        return table.Timestamps is { } times ? ByTime(times, testFraction) : Stratified(table.Labels ?? throw new ArgumentException("the table has no labels", nameof(table)), testFraction, seed);
    }

    /// <summary>Stratified random split with a fixed seed (the same seed gives the same split).</summary>
    public static DataSplit Stratified(bool[] labels, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var outcome in new[] { true, false })
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == outcome).ToArray();
            random.Shuffle(rows);
            var testCount = (int)Math.Round(rows.Length * testFraction);
            test.AddRange(rows.Take(testCount));
            train.AddRange(rows.Skip(testCount));
        }

        train.Sort();
        test.Sort();
        return new DataSplit(SplitKind.StratifiedRandom, [.. train], [.. test], null);
    }

    /// <summary>Time split: the latest rows (ties broken by row order) form the test part.</summary>
    public static DataSplit ByTime(DateTimeOffset[] times, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(times);
        var order = Enumerable.Range(0, times.Length).OrderBy(i => times[i]).ThenBy(i => i).ToArray();
        var testCount = (int)Math.Round(times.Length * testFraction);
        var cut = times.Length - testCount;
        var train = order[..cut];
        var test = order[cut..];
        return new DataSplit(SplitKind.Time, train, test, test.Length > 0 ? times[test[0]] : null);
    }

    /// <summary>
    /// Assigns each of <paramref name="labels"/>' rows to one of <paramref name="folds"/> folds, stratified by
    /// outcome, for out-of-fold predictions.
    /// </summary>
    public static int[] StratifiedFolds(IReadOnlyList<bool> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var fold = new int[labels.Count];
        foreach (var outcome in new[] { true, false })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == outcome).ToArray();
            random.Shuffle(rows);
            for (var k = 0; k < rows.Length; k++)
            {
                fold[rows[k]] = k % folds;
            }
        }

        return fold;
    }
}
