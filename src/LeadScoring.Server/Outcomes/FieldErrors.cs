using System.Globalization;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// Problems by field ("[3].converted"), collected so one 400 tells the caller everything to fix, but listing at
/// most <see cref="MaxFields"/> fields: a batch of 10,000 bad items would otherwise answer with megabytes.
/// </summary>
internal sealed class FieldErrors
{
    public const int MaxFields = 100;

    private readonly Dictionary<string, List<string>> _listed = new(StringComparer.Ordinal);

    /// <summary>Problems found, listed or not.</summary>
    public int Count { get; private set; }

    /// <summary>Problems found but not listed (beyond <see cref="MaxFields"/> fields).</summary>
    public int Unlisted { get; private set; }

    public void Add(string field, string problem)
    {
        Count++;
        if (_listed.TryGetValue(field, out var problems))
        {
            problems.Add(problem);
        }
        else if (_listed.Count < MaxFields)
        {
            _listed[field] = [problem];
        }
        else
        {
            Unlisted++;
        }
    }

    /// <summary>The listed problems, as a validation problem's "errors".</summary>
    public Dictionary<string, string[]> ToDictionary() => _listed.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The first few problems in one line, and how many more there are.</summary>
    public string Summary(int shown = 5)
    {
        var first = _listed.SelectMany(e => e.Value.Select(problem => $"{e.Key} {problem}")).Take(shown).ToList();
        var more = Count - first.Count;
        return string.Join("; ", first)
            + (more > 0 ? string.Create(CultureInfo.InvariantCulture, $"; and {more} more") : "")
            + (Unlisted > 0 ? string.Create(CultureInfo.InvariantCulture, $" (errors lists the first {MaxFields} fields; {Unlisted} more problems are not listed)") : "");
    }
}
