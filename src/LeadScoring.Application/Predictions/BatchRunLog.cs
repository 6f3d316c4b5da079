using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Application.Predictions;

/// <summary>
/// Logs the leads of one batch scoring run (<c>leadscore score --log</c>) in the prediction log, like the service
/// logs a request: request id <c>cli-&lt;run id&gt;</c>, arm champion, the registered model's name and version, the
/// score and band, the features in <see cref="LeadFeaturesJson"/> form. Appended <see cref="BatchSize"/> rows per
/// transaction as chunks come out of the scorer; <see cref="FlushAsync"/> writes the rest. Latency is the chunk's
/// scoring time divided by its leads (they are scored together, on all cores).
/// </summary>
public sealed class BatchRunLog(PredictionLog log, TimeProvider time, string modelName, int modelVersion, LeadSchema schema, string requestId)
{
    /// <summary>Rows per transaction.</summary>
    public const int BatchSize = 5_000;

    private readonly List<PredictionRecord> _pending = new(BatchSize);

    /// <summary>The request id every row of this run carries.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>Rows committed so far.</summary>
    public long Logged { get; private set; }

    /// <summary>A new run id: <c>cli-</c> and a time-ordered UUID (version 7) in 32 hex digits.</summary>
    public static string NewRequestId(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return "cli-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N", CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a scored chunk, committing every full batch.</summary>
    public async Task AppendAsync(ScoredChunk chunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var table = chunk.Table;
        var scoredAt = time.GetUtcNow();
        var latency = table.Count == 0 ? 0 : (long)Math.Round(chunk.ScoringTime.TotalMicroseconds / table.Count);
        var features = new LeadFeatures(schema.Features.Count);
        for (var row = 0; row < table.Count; row++)
        {
            var leadId = chunk.Ids[row];
            if (string.IsNullOrWhiteSpace(leadId) || leadId.Length > OutcomeValidation.MaxLeadIdLength)
            {
                throw new LeadDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"row {chunk.FirstRow + row}, column '{schema.Id}': the lead id {(string.IsNullOrWhiteSpace(leadId) ? "is empty" : $"has {leadId.Length} characters")}; --log needs an id of 1 to {OutcomeValidation.MaxLeadIdLength} characters per lead"));
            }

            Fill(features, table, row);
            _pending.Add(new PredictionRecord(
                RequestId, leadId, scoredAt, modelName, modelVersion, ServingArms.Champion, chunk.Scores[row], chunk.Bands[row]!, latency, LeadFeaturesJson.Write(features, schema)));
            if (_pending.Count == BatchSize)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Commits what is pending.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await log.AppendAsync(_pending, cancellationToken).ConfigureAwait(false);
        Logged += _pending.Count;
        _pending.Clear();
    }

    // The values the service would have validated: categories trimmed, as the scoring routes keep them.
    private void Fill(LeadFeatures features, LeadTable table, int row)
    {
        for (var i = 0; i < schema.Features.Count; i++)
        {
            switch (table.Columns[i])
            {
                case NumericColumn numbers:
                    features.Numbers[i] = numbers.Values[row];
                    break;
                case CategoricalColumn categories:
                    features.Categories[i] = categories.Values[row]?.Trim();
                    break;
            }
        }
    }
}
