using System.Globalization;
using LeadScoring.Application.Predictions;
using LeadScoring.Core.Schema;
using LeadScoring.Storage.Feedback;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Issue 11's training data from the logs: the leads a model scored in the last <see cref="TrainingSetOptions.Lookback"/>
/// whose outcomes are mature, joined to those outcomes, with the features the log kept for them.
/// </summary>
/// <remarks>
/// <para>
/// Maturity: the P90 conversion delay of every matched outcome known at <c>now</c>
/// (<see cref="FeedbackReader.GetMatchSummaryAsync"/>), as monitoring measures it. A lead is taken when its first
/// score (by any version and arm of the model) falls in [now − lookback, now − P90): a younger lead may still convert,
/// and taking its early "no" would teach the model that it will not. A negative measured P90 (outcomes dated before
/// the score) counts as 0. No matched outcome yet means no delay, so nothing can be called mature: insufficient.
/// </para>
/// <para>
/// Leads in the window without an outcome known at <c>now</c> are left out and counted
/// (<see cref="TrainingSet.Unlabelled"/>), not taken as non-conversions. That is how monitoring treats them: its
/// realised figures (<see cref="Core.Monitoring.PerformanceReport"/>, BusinessReport) are computed over the labelled
/// leads only, a lead's outcome stays unknown (null) however old it is, and a window past the delay whose outcomes
/// are mostly missing is not even called mature (MonitoringRunner's mature labelled share). The CRM sends
/// non-conversions as outcomes too, so a missing outcome is missing data, not a loss; guessing "lost" for every
/// lead the CRM never reported would plant false negatives wherever the integration drops records.
/// </para>
/// <para>
/// The table's schema is the model's, with an id column and a timestamp column named when the model's schema has
/// none (<see cref="TableSchema"/>), so lead ids and first-score times travel with the rows into the snapshot and
/// the time-series folds follow arrival.
/// </para>
/// </remarks>
public static class RetrainingDataset
{
    /// <summary>The id column's name when the model's schema names none.</summary>
    public const string DefaultIdColumn = "lead_id";

    /// <summary>The timestamp column's name (the first-score time) when the model's schema names none.</summary>
    public const string DefaultTimestampColumn = "scored_at";

    /// <summary>
    /// Reads <paramref name="modelName"/>'s mature labelled leads as of <paramref name="now"/>: a
    /// <see cref="TrainingSet"/>, or <see cref="InsufficientTrainingData"/> with a status message when fewer than
    /// <see cref="TrainingSetOptions.MinLabelled"/> usable rows (or only one outcome) are there. Labelled leads whose
    /// logged features do not fit <paramref name="schema"/> (<see cref="LoggedFeatures.TryRead"/>) are skipped and counted.
    /// </summary>
    public static async Task<TrainingSetLoad> LoadAsync(
        FeedbackReader reader, string modelName, LeadSchema schema, DateTimeOffset now, TrainingSetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var from = now - options.Lookback;
        var needs = Text($"retraining needs at least {options.MinLabelled:N0}");
        var summary = await reader.GetMatchSummaryAsync(now, cancellationToken).ConfigureAwait(false);
        if (summary.Delay.P90 is not { } measured)
        {
            var why = summary.Received == 0
                ? "no outcomes have been received yet"
                : Text($"none of the {summary.Received:N0} outcomes received matches a scored lead yet");
            return new InsufficientTrainingData(
                Text($"{why}, so the conversion delay is unknown and no lead can be called mature; {needs} mature labelled leads"),
                from, null, now, null, 0, 0, 0, 0, options.MinLabelled);
        }

        var delay = measured < TimeSpan.Zero ? TimeSpan.Zero : measured;
        var to = now - delay;
        if (to <= from)
        {
            return new InsufficientTrainingData(
                Text($"the P90 conversion delay ({Days(delay)}) is as long as the lookback ({Days(options.Lookback)}): no lead scored in it has matured; {needs} mature labelled leads"),
                from, to, now, delay, 0, 0, 0, 0, options.MinLabelled);
        }

        var columns = new LoggedLeadColumns(TableSchema(schema));
        long scored = 0, unlabelled = 0, skipped = 0;
        string? firstSkip = null;
        var query = new LabelledQuery(modelName, from, to, now, IncludeUnlabelled: true);
        await foreach (var row in reader.ReadLabelledAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            scored++;
            if (row.Outcome is not { } outcome)
            {
                unlabelled++;
                continue;
            }

            var record = row.FirstScore.Record;
            if (LoggedFeatures.TryRead(record.FeaturesJson, schema, out var problem) is not { } features)
            {
                skipped++;
                firstSkip ??= $"lead '{record.LeadId}': {problem}";
                continue;
            }

            columns.Add(record.LeadId, record.ScoredAt, outcome.Converted, outcome.Revenue, features);
        }

        var rows = columns.Count;
        if (rows < options.MinLabelled || columns.Positives == 0 || columns.Positives == rows)
        {
            var counted = Text($"{rows:N0} mature labelled leads (of {scored:N0} scored) in the last {Days(options.Lookback)}");
            var message = rows < options.MinLabelled
                ? Text($"{counted}; {needs}")
                : Text($"{counted}, but {(columns.Positives == 0 ? "none" : "all")} of them converted; retraining needs both outcomes");
            if (skipped > 0)
            {
                message += Text($" ({skipped:N0} labelled leads were skipped, first {firstSkip})");
            }

            return new InsufficientTrainingData(message, from, to, now, delay, scored, rows, columns.Positives, skipped, options.MinLabelled);
        }

        return new TrainingSet(columns.Build(), from, to, now, delay, scored, unlabelled, skipped, firstSkip);
    }

    /// <summary>
    /// The training table's schema: <paramref name="schema"/> with its id and timestamp columns, or
    /// <see cref="DefaultIdColumn"/> and <see cref="DefaultTimestampColumn"/> (underscored until no other column has
    /// the name) where it names none. Features, label, revenue and missing values are unchanged.
    /// </summary>
    public static LeadSchema TableSchema(LeadSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Id is not null && schema.Timestamp is not null)
        {
            return schema;
        }

        var taken = schema.Features.Select(f => f.Name).Concat(schema.Exclude.Select(e => e.Name)).Append(schema.Label)
            .Concat(new[] { schema.Revenue, schema.Id, schema.Timestamp }.OfType<string>())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        string Free(string name)
        {
            while (!taken.Add(name))
            {
                name += "_";
            }

            return name;
        }

        var id = schema.Id ?? Free(DefaultIdColumn);
        var timestamp = schema.Timestamp ?? Free(DefaultTimestampColumn);
        return new LeadSchema(
            schema.Name, id, schema.Label, schema.Positive, schema.Negative, timestamp, schema.Revenue, schema.Delimiter, schema.Features, schema.Exclude, schema.MissingValues);
    }

    private static string Days(TimeSpan span) => Text($"{span.TotalDays:0.#} days");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
