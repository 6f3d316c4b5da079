using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Storage.Feedback;

/// <summary>
/// Which leads a labelled read covers: those whose first score by <paramref name="ModelName"/> (optionally one
/// <paramref name="ModelVersion"/>, optionally one <paramref name="Arm"/>) falls in [<paramref name="ScoredFrom"/>,
/// <paramref name="ScoredTo"/>), each with the outcome known at <paramref name="KnownBy"/>.
/// </summary>
/// <param name="ModelName">The registry's model name.</param>
/// <param name="ScoredFrom">Start of the scoring window (inclusive).</param>
/// <param name="ScoredTo">End of the scoring window (exclusive).</param>
/// <param name="KnownBy">The outcome of each lead as the store knew it then: received by then and not yet replaced then.</param>
/// <param name="ModelVersion">Only this version's scores, or every version's.</param>
/// <param name="Arm">Only this serving arm's scores (<see cref="ServingArms"/>), or every arm's.</param>
/// <param name="IncludeUnlabelled">Also return leads without an outcome known at <paramref name="KnownBy"/> (their <see cref="LabelledPrediction.Outcome"/> is null).</param>
public sealed record LabelledQuery(
    string ModelName,
    DateTimeOffset ScoredFrom,
    DateTimeOffset ScoredTo,
    DateTimeOffset KnownBy,
    int? ModelVersion = null,
    string? Arm = null,
    bool IncludeUnlabelled = false);

/// <summary>A lead's first score in a labelled read, and its outcome as known then (null: none known, only with <see cref="LabelledQuery.IncludeUnlabelled"/>).</summary>
/// <param name="FirstScore">The lead's earliest prediction matching the query (ties broken by log id).</param>
/// <param name="Outcome">The version known at the query's KnownBy; its <see cref="StoredOutcome.ReplacedAt"/> is null (a later replacement is not known then).</param>
public sealed record LabelledPrediction(StoredPrediction FirstScore, StoredOutcome? Outcome);

/// <summary>One page of a labelled read, ordered by the first score's (scored_at, id); pass <see cref="Next"/> to continue (null after a short page).</summary>
public sealed record LabelledPage(IReadOnlyList<LabelledPrediction> Rows, PredictionCursor? Next);

/// <summary>How outcomes known at <see cref="KnownBy"/> match the prediction log.</summary>
/// <param name="KnownBy">The time the counts are for.</param>
/// <param name="Received">Leads with an outcome known then.</param>
/// <param name="Matched">Of those, leads scored (any model) at or before then.</param>
/// <param name="Converted">Of the received, leads whose outcome is a conversion.</param>
/// <param name="TotalRevenue">Sum of the known revenues of the received (0 when none).</param>
/// <param name="Delay">Time from a matched lead's first score to its outcome's occurred-at.</param>
public sealed record MatchSummary(DateTimeOffset KnownBy, long Received, long Matched, long Converted, double TotalRevenue, DelaySummary Delay)
{
    /// <summary>Received leads never scored (yet): stored and counted, never dropped.</summary>
    public long Unmatched => Received - Matched;

    /// <summary>Converted / received; null before any outcome.</summary>
    public double? ConversionRate => Received == 0 ? null : (double)Converted / Received;
}

/// <summary>
/// The distribution of conversion delays over matched leads (an outcome that occurred before the lead's first
/// score counts with a negative delay). Quantiles interpolate linearly between order statistics (NumPy's default).
/// </summary>
/// <param name="Count">Matched leads the delays are over.</param>
/// <param name="Median">The 0.5 quantile; null without matched leads.</param>
/// <param name="P90">The 0.9 quantile; null without matched leads.</param>
public sealed record DelaySummary(long Count, TimeSpan? Median, TimeSpan? P90);
