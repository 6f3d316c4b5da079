namespace LeadScoring.Core.Schema;

/// <summary>
/// "Did you mean …?" for misspelt names: the closest candidate by edit distance, ignoring case, when it is
/// close enough relative to the name's length to be a likely typo rather than a different name.
/// </summary>
public static class NameSuggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="name"/> (first in order on a tie), or null when none is within
    /// a third of the candidate's length (at least one edit). A case-only difference counts as distance 0.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var allowed = Math.Max(1, candidate.Length / 3);
            // Lengths alone bound the distance from below: skip hopeless (or huge, hostile) names without the quadratic work.
            if (Math.Abs(candidate.Length - name.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(name, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>
    /// Case-insensitive Damerau–Levenshtein distance (optimal string alignment): the fewest insertions,
    /// deletions, substitutions and swaps of two adjacent characters that turn one string into the other.
    /// </summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // Three rolling rows of the classic table: the row two back is needed for adjacent swaps.
        var twoBack = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                var best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    best = Math.Min(best, twoBack[j - 2] + 1);
                }

                current[j] = best;
            }

            (twoBack, previous, current) = (previous, current, twoBack);
        }

        return previous[b.Length];
    }

    private static bool Same(char x, char y) => char.ToUpperInvariant(x) == char.ToUpperInvariant(y);
}
