using LeadScoring.Core.Data;

namespace LeadScoring.Application.Retraining;

/// <summary>What <see cref="RetrainingDataset.LoadAsync"/> found: a <see cref="TrainingSet"/>, or <see cref="InsufficientTrainingData"/> saying why not.</summary>
public abstract record TrainingSetLoad
{
    private protected TrainingSetLoad()
    {
    }
}

/// <summary>
/// The mature labelled leads of a model's prediction log, as a training table in arrival (first-score) order.
/// </summary>
/// <param name="Table">Ids (lead ids), timestamps (first-score times), labels, revenue (when the schema has a revenue column) and features, in first-score order; its schema is the model's with id and timestamp columns named (see <see cref="RetrainingDataset"/>).</param>
/// <param name="ScoredFrom">Start of the window of first scores (now − lookback, inclusive).</param>
/// <param name="ScoredTo">End of the window (now − P90, exclusive): leads scored later are too young to judge.</param>
/// <param name="KnownBy">The outcomes are those known at this time (the load's now).</param>
/// <param name="DelayP90">The P90 conversion delay the maturity cut used (negative measured delays count as 0).</param>
/// <param name="Scored">Leads whose first score falls in the window, with or without an outcome.</param>
/// <param name="Unlabelled">Of them, leads without an outcome known by <paramref name="KnownBy"/>: left out, not counted as losers.</param>
/// <param name="Skipped">Labelled leads left out because their logged features do not fit the schema.</param>
/// <param name="FirstSkipReason">Why the first skipped lead was left out; null when none was.</param>
public sealed record TrainingSet(
    LeadTable Table,
    DateTimeOffset ScoredFrom,
    DateTimeOffset ScoredTo,
    DateTimeOffset KnownBy,
    TimeSpan DelayP90,
    long Scored,
    long Unlabelled,
    long Skipped,
    string? FirstSkipReason)
    : TrainingSetLoad
{
    /// <summary>Rows of the table.</summary>
    public int Rows => Table.Count;

    /// <summary>Converted leads in the table.</summary>
    public int Positives => Table.Labels!.Count(l => l);

    /// <summary>The first row's first-score time.</summary>
    public DateTimeOffset From => Table.Timestamps![0];

    /// <summary>The last row's first-score time.</summary>
    public DateTimeOffset To => Table.Timestamps![^1];
}

/// <summary>Too few mature labelled leads (or none that can be called mature): the run stops here with <see cref="Message"/>.</summary>
/// <param name="Message">The status, with the numbers, e.g. "6,210 mature labelled leads (of 8,900 scored) in the last 183 days; retraining needs at least 10,000".</param>
/// <param name="ScoredFrom">Start of the window of first scores.</param>
/// <param name="ScoredTo">End of the window (now − P90); null when no conversion delay is measured yet.</param>
/// <param name="KnownBy">The load's now.</param>
/// <param name="DelayP90">The P90 conversion delay; null when no outcome matches a scored lead yet.</param>
/// <param name="Scored">Leads whose first score falls in the window (0 without a window).</param>
/// <param name="Labelled">Of them, usable rows: labelled, with readable features.</param>
/// <param name="Positives">Converted among the usable rows.</param>
/// <param name="Skipped">Labelled leads left out because their logged features do not fit the schema.</param>
/// <param name="MinLabelled">What the run needs.</param>
public sealed record InsufficientTrainingData(
    string Message,
    DateTimeOffset ScoredFrom,
    DateTimeOffset? ScoredTo,
    DateTimeOffset KnownBy,
    TimeSpan? DelayP90,
    long Scored,
    long Labelled,
    long Positives,
    long Skipped,
    int MinLabelled)
    : TrainingSetLoad;
