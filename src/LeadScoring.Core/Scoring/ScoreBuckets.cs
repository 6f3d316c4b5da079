using System.Globalization;

namespace LeadScoring.Core.Scoring;

/// <summary>A named score band: leads scoring at least <see cref="MinScore"/> (and below the next band up).</summary>
/// <param name="Name">The band's name, e.g. "hot".</param>
/// <param name="MinScore">Inclusive lower bound.</param>
public sealed record ScoreBucket(string Name, double MinScore);

/// <summary>
/// Named score bands with configurable cut-offs (e.g. hot ≥ 0.7, warm ≥ 0.4, cold below), so sales can act on
/// a band rather than a number. The lowest band always starts at 0.
/// </summary>
public sealed class ScoreBuckets
{
    /// <summary>The default bands: hot ≥ 0.7, warm ≥ 0.4, cold below.</summary>
    public static readonly ScoreBuckets Default = new([new("hot", 0.7), new("warm", 0.4), new("cold", 0)]);

    private readonly ScoreBucket[] _descending;

    /// <summary>Creates bands; throws when names repeat, a cut-off is outside [0, 1], or none starts at 0.</summary>
    public ScoreBuckets(IEnumerable<ScoreBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        _descending = [.. buckets.OrderByDescending(b => b.MinScore)];
        if (_descending.Length == 0)
        {
            throw new ArgumentException("at least one score bucket is needed", nameof(buckets));
        }

        if (_descending.Any(b => string.IsNullOrWhiteSpace(b.Name) || !(b.MinScore >= 0 && b.MinScore <= 1)))
        {
            throw new ArgumentException("every score bucket needs a name and a cut-off in [0, 1]", nameof(buckets));
        }

        if (_descending.Select(b => b.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != _descending.Length
            || _descending.Select(b => b.MinScore).Distinct().Count() != _descending.Length)
        {
            throw new ArgumentException("score bucket names and cut-offs must be distinct", nameof(buckets));
        }

        if (_descending[^1].MinScore != 0)
        {
            throw new ArgumentException("the lowest score bucket must start at 0 so every score has a bucket", nameof(buckets));
        }
    }

    /// <summary>The bands, highest first.</summary>
    public IReadOnlyList<ScoreBucket> Buckets => _descending;

    /// <summary>Parses "hot:0.7,warm:0.4,cold:0".</summary>
    public static ScoreBuckets Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buckets = new List<ScoreBucket>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var min))
            {
                throw new ArgumentException($"'{part}' is not name:cut-off (e.g. hot:0.7)", nameof(text));
            }

            buckets.Add(new ScoreBucket(pieces[0], min));
        }

        return new ScoreBuckets(buckets);
    }

    /// <summary>The band a score falls in.</summary>
    public string Of(double score)
    {
        foreach (var bucket in _descending)
        {
            if (score >= bucket.MinScore)
            {
                return bucket.Name;
            }
        }

        return _descending[^1].Name;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", _descending.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Name}:{b.MinScore}")));
}
