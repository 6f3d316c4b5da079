using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadScoring.Application.Retraining;

/// <summary>The JSON conventions of retraining's stored documents and API answers (snake_case, enums by name).</summary>
public static class RetrainingJson
{
    /// <summary>The options every retraining document is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>
/// A run's settings, fixed when it is requested and stored with it (its OptionsJson): a run reads these, never the
/// configuration of the day it happens to be worked on, so it can be reproduced from its record.
/// </summary>
/// <param name="Seed">Seeds the search and the final training.</param>
/// <param name="Trials">Search trials.</param>
/// <param name="Folds">Expanding-window time folds.</param>
/// <param name="WallTimeSeconds">The search's wall-time budget; null for none.</param>
/// <param name="Threads">Training threads.</param>
/// <param name="Learners">Learners tried (wire names); empty for all.</param>
/// <param name="LookbackDays">Days of logged leads taken.</param>
/// <param name="MinLabelled">Fewest mature labelled leads a run trains on.</param>
/// <param name="MinRelativeAucGain">Gate: relative ROC AUC gain that passes.</param>
/// <param name="MinCapturedGain">Gate: relative gain in conversions captured at capacity that passes.</param>
/// <param name="DailyCapacity">Gate: leads sales can call in a day.</param>
/// <param name="EceTolerance">Gate: how much worse (absolute) the candidate's calibration error may be.</param>
/// <param name="DataFile">Train on this file instead of the logs (a first model, or a data scientist's data).</param>
/// <param name="SchemaFile">The schema of <paramref name="DataFile"/>; null: the Production model's.</param>
public sealed record RetrainingRunOptions(
    int Seed,
    int Trials,
    int Folds,
    double? WallTimeSeconds,
    int Threads,
    IReadOnlyList<string> Learners,
    double LookbackDays,
    int MinLabelled,
    double MinRelativeAucGain,
    double MinCapturedGain,
    int DailyCapacity,
    double EceTolerance,
    string? DataFile = null,
    string? SchemaFile = null)
{
    /// <summary>The configured settings, with a request's own data file, seed or trial count when given.</summary>
    public static RetrainingRunOptions From(RetrainingSettings settings, string? dataFile = null, string? schemaFile = null, int? seed = null, int? trials = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RetrainingRunOptions(
            seed ?? settings.Search.Seed,
            trials ?? settings.Search.Trials,
            settings.Search.Folds,
            settings.Search.WallTime?.TotalSeconds,
            settings.Search.Threads,
            [.. settings.Search.Learners],
            settings.Data.Lookback.TotalDays,
            settings.Data.MinLabelled,
            settings.Gate.MinRelativeAucGain,
            settings.Gate.MinCapturedGain,
            settings.Gate.DailyCapacity,
            settings.Gate.EceTolerance,
            dataFile,
            schemaFile);
    }

    /// <summary>As stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RetrainingJson.Options);

    /// <summary>Reads stored options.</summary>
    public static RetrainingRunOptions Parse(string json) =>
        JsonSerializer.Deserialize<RetrainingRunOptions>(json, RetrainingJson.Options) ?? throw new JsonException("retraining options are null");
}
