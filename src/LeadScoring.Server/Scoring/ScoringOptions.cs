using System.Globalization;
using LeadScoring.Core.Scoring;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Scoring;

/// <summary>Limits of the scoring routes and the score bands (section LeadScoring:Scoring).</summary>
public sealed class ScoringOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Scoring";

    /// <summary>Most leads accepted by one POST /score-leads.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Largest request body accepted by the scoring routes, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>
    /// The score bands, highest first, the last starting at 0. Empty means the defaults (hot 0.7, warm 0.4,
    /// cold 0); configured bands replace the defaults as a whole.
    /// </summary>
    // A list, not an initialised default: the configuration binder appends to a list's existing items.
    public IList<ScoreBandOptions> Bands { get; } = [];

    /// <summary>The bands as <see cref="ScoreBuckets"/>; call after validation.</summary>
    public ScoreBuckets ToBuckets() =>
        Bands.Count == 0 ? ScoreBuckets.Default : new ScoreBuckets(Bands.Select(b => new ScoreBucket(b.Name!, b.ParseMinScore()!.Value)));
}

/// <summary>One score band: leads scoring at least <see cref="MinScore"/> (and below the band before it).</summary>
public sealed class ScoreBandOptions
{
    /// <summary>The band's name, e.g. "hot".</summary>
    public string? Name { get; set; }

    /// <summary>Inclusive lower bound, a number in [0, 1].</summary>
    // Text, parsed by the validator: the binder would report a bad number inside a list without naming its key.
    public string? MinScore { get; set; }

    /// <summary><see cref="MinScore"/> as a number, or null when it is not one.</summary>
    public double? ParseMinScore() =>
        double.TryParse(MinScore, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) ? score : null;
}

/// <summary>
/// Checks <see cref="ScoringOptions"/> at start-up, so a bad band or limit stops the service with a message
/// naming the key instead of failing every scoring call. Only the first bad band is reported: the checks
/// after it (order, uniqueness) would mostly repeat it.
/// </summary>
internal sealed class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
    public const int MaxBatchSizeLimit = 100_000;
    public const int MinRequestBytes = 1 << 10;
    public const int MaxRequestBytesLimit = 256 << 20;

    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            failures.Add(Message($"MaxBatchSize must be between 1 and {MaxBatchSizeLimit} (got {options.MaxBatchSize})"));
        }

        if (options.MaxRequestBytes is < MinRequestBytes or > MaxRequestBytesLimit)
        {
            failures.Add(Message($"MaxRequestBytes must be between {MinRequestBytes} and {MaxRequestBytesLimit} (got {options.MaxRequestBytes})"));
        }

        if (FirstBadBand(options.Bands) is { } band)
        {
            failures.Add(band);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? FirstBadBand(IList<ScoreBandOptions> bands)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < bands.Count; i++)
        {
            var (bandName, min) = (bands[i].Name, bands[i].ParseMinScore());
            if (string.IsNullOrWhiteSpace(bandName))
            {
                return Message($"Bands:{i}:Name is required (configured bands replace the defaults: give each a Name and a MinScore)");
            }

            if (!names.TryAdd(bandName, i))
            {
                return Message($"Bands:{i}:Name must be unique ('{bandName}' is also {ScoringOptions.SectionName}:Bands:{names[bandName]}:Name)");
            }

            if (bands[i].MinScore is null)
            {
                return Message($"Bands:{i}:MinScore is required (configured bands replace the defaults: give each a Name and a MinScore)");
            }

            if (min is not { } score)
            {
                return Message($"Bands:{i}:MinScore must be a number between 0 and 1 (got '{bands[i].MinScore}')");
            }

            if (!(score >= 0 && score <= 1))
            {
                return Message($"Bands:{i}:MinScore must be between 0 and 1 (got {score})");
            }

            if (i > 0 && score >= bands[i - 1].ParseMinScore())
            {
                return Message($"Bands:{i}:MinScore must be below {ScoringOptions.SectionName}:Bands:{i - 1}:MinScore, {bands[i - 1].ParseMinScore()}: bands go from highest to lowest (got {score})");
            }
        }

        return bands.Count > 0 && bands[^1].ParseMinScore() is { } lowest && lowest != 0
            ? Message($"Bands:{bands.Count - 1}:MinScore must be 0: the last band starts at 0 so every score has a band (got {lowest})")
            : null;
    }

    private static string Message(FormattableString problem) =>
        ScoringOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
