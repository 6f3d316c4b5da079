using System.Collections.Frozen;

namespace LeadScoring.Storage.Predictions;

/// <summary>The serving arms a prediction can come from (the online-testing work adds the others' traffic).</summary>
public static class ServingArms
{
    public const string Champion = "champion";

    public const string Challenger = "challenger";

    public const string Shadow = "shadow";

    /// <summary>Every arm a record may name.</summary>
    public static IReadOnlySet<string> All { get; } = new[] { Champion, Challenger, Shadow }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>One scored lead, as the prediction log keeps it.</summary>
/// <param name="RequestId">The HTTP request (or CLI run) that scored it; several leads of one batch share it.</param>
/// <param name="LeadId">The CRM's lead id.</param>
/// <param name="ScoredAt">When it was scored; kept in UTC to the microsecond (finer ticks are dropped).</param>
/// <param name="ModelName">The registry's model name.</param>
/// <param name="ModelVersion">The version that produced <paramref name="Score"/>.</param>
/// <param name="Arm">One of <see cref="ServingArms"/>.</param>
/// <param name="Score">The probability of conversion, in [0, 1].</param>
/// <param name="Band">The score band ("hot", …).</param>
/// <param name="LatencyMicroseconds">How long scoring took.</param>
/// <param name="FeaturesJson">The input features exactly as validated: a flat JSON object of numbers, strings, booleans and nulls, kept byte for byte.</param>
public sealed record PredictionRecord(
    string RequestId,
    string LeadId,
    DateTimeOffset ScoredAt,
    string ModelName,
    int ModelVersion,
    string Arm,
    double Score,
    string Band,
    long LatencyMicroseconds,
    string FeaturesJson)
{
    /// <summary>The version that scored the lead in the shadow, when one did (set together with <see cref="ShadowScore"/>).</summary>
    public int? ShadowModelVersion { get; init; }

    /// <summary>The shadow version's score, when one ran (set together with <see cref="ShadowModelVersion"/>).</summary>
    public double? ShadowScore { get; init; }
}

/// <summary>A logged prediction with its id in the log (ids grow with insertion; a cursor uses them to break ties).</summary>
public sealed record StoredPrediction(long Id, PredictionRecord Record)
{
    /// <summary>The cursor that continues a range read after this row.</summary>
    public PredictionCursor Cursor => new(Record.ScoredAt, Id);
}

/// <summary>A position in a range read: after the row scored at <paramref name="ScoredAt"/> with id <paramref name="Id"/>.</summary>
public sealed record PredictionCursor(DateTimeOffset ScoredAt, long Id);

/// <summary>One page of a range read, oldest first; <see cref="Next"/> is null once a page comes back short (a full last page is followed by an empty one).</summary>
public sealed record PredictionPage(IReadOnlyList<StoredPrediction> Rows, PredictionCursor? Next);

/// <summary>Which predictions a range read or count covers: scored in [<paramref name="From"/>, <paramref name="To"/>), optionally of one model (and version).</summary>
public sealed record PredictionRange(DateTimeOffset From, DateTimeOffset To, string? ModelName = null, int? ModelVersion = null);
