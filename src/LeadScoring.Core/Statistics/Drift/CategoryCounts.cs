namespace LeadScoring.Core.Statistics;

/// <summary>Two samples' counts over one shared, ordered list of categories.</summary>
/// <param name="Categories">Category names, in bin order.</param>
/// <param name="ReferenceCounts">Reference count per category.</param>
/// <param name="CurrentCounts">Current count per category.</param>
public sealed record CategoryComparison(IReadOnlyList<string> Categories, long[] ReferenceCounts, long[] CurrentCounts);

/// <summary>Counting categorical values and aligning two samples' categories into common bins.</summary>
public static class CategoryCounts
{
    /// <summary>The bin that collects categories beyond <c>maxBins</c>.</summary>
    public const string OtherCategory = "(other)";

    /// <summary>Counts each distinct value; null values are missing and not counted.</summary>
    public static Dictionary<string, long> Count(IEnumerable<string?> values, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new Dictionary<string, long>(comparer ?? StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v is not null)
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }

        return counts;
    }

    /// <summary>
    /// One bin per category seen in either sample, sorted by ordinal name, so a category that appears in only
    /// one sample still counts (its other count is 0). When there are more than <paramref name="maxBins"/>
    /// categories, the reference's most frequent <c>maxBins − 1</c> keep their own bins and everything else —
    /// rare and unseen categories — goes to <see cref="OtherCategory"/>, the last bin.
    /// </summary>
    public static CategoryComparison Align(
        IEnumerable<KeyValuePair<string, long>> reference,
        IEnumerable<KeyValuePair<string, long>> current,
        IEqualityComparer<string>? comparer = null,
        int? maxBins = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (maxBins is < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "at least two category bins are needed");
        }

        comparer ??= StringComparer.Ordinal;
        var referenceCounts = Merge(reference, comparer);
        var currentCounts = Merge(current, comparer);
        var names = new List<string>(referenceCounts.Keys);
        foreach (var name in currentCounts.Keys)
        {
            if (!referenceCounts.ContainsKey(name))
            {
                names.Add(name);
            }
        }

        HashSet<string>? kept = null;
        if (maxBins is { } max && names.Count > max)
        {
            kept = new HashSet<string>(
                referenceCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(max - 1).Select(kv => kv.Key),
                comparer);
            names = [.. kept];
        }

        names.Sort(StringComparer.Ordinal);
        if (kept is not null)
        {
            names.Add(OtherCategory);
        }

        var index = new Dictionary<string, int>(comparer);
        for (var i = 0; i < names.Count; i++)
        {
            index.TryAdd(names[i], i);
        }

        var other = names.Count - 1;
        var referenceBins = new long[names.Count];
        var currentBins = new long[names.Count];
        foreach (var (name, count) in referenceCounts)
        {
            referenceBins[kept is null || kept.Contains(name) ? index[name] : other] += count;
        }

        foreach (var (name, count) in currentCounts)
        {
            currentBins[kept is null || kept.Contains(name) ? index[name] : other] += count;
        }

        return new CategoryComparison(names, referenceBins, currentBins);
    }

    private static Dictionary<string, long> Merge(IEnumerable<KeyValuePair<string, long>> counts, IEqualityComparer<string> comparer)
    {
        var merged = new Dictionary<string, long>(comparer);
        foreach (var (name, count) in counts)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (count < 0)
            {
                throw new ArgumentException($"category '{name}' has a negative count {count}", nameof(counts));
            }

            merged[name] = merged.GetValueOrDefault(name) + count;
        }

        return merged;
    }
}
