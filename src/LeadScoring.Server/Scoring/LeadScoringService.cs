using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Scoring;

/// <summary>Which deployment arm scored a lead. Only the champion exists yet.</summary>
public enum ServingArm
{
    /// <summary>The Production model.</summary>
    Champion,

    /// <summary>A model answering a share of the traffic (not deployed yet).</summary>
    Challenger,

    /// <summary>A model scoring alongside the champion without answering (not deployed yet).</summary>
    Shadow,
}

/// <summary>One scored lead: who scored it, the score and band, and the validated features it was scored on.</summary>
/// <param name="LeadId">The caller's id for the lead.</param>
/// <param name="Arm">The deployment arm that answered.</param>
/// <param name="Model">The model (name, version, package) that scored it.</param>
/// <param name="Score">Calibrated conversion probability.</param>
/// <param name="Bucket">The score band.</param>
/// <param name="Features">The feature values, as validated against the model's schema.</param>
/// <param name="LatencyMicroseconds">How long the model took to score and band it.</param>
public readonly record struct ScoredLead(string LeadId, ServingArm Arm, LoadedModel Model, double Score, string Bucket, LeadFeatures Features, long LatencyMicroseconds);

/// <summary>How a scoring call ended.</summary>
public enum ScoringStatus
{
    /// <summary>Every lead was scored.</summary>
    Scored,

    /// <summary>The body or a lead is invalid; nothing was scored (a 400).</summary>
    Invalid,

    /// <summary>No model is loaded (a 503).</summary>
    NoModel,

    /// <summary>Scored, but the prediction log did not take the records (a 503 with Retry-After; see <see cref="ScoringOutcome{T}.Refusal"/>).</summary>
    LogRefused,
}

/// <summary>The result of a scoring call: the scored lead(s), or the errors by field, or why the log refused them.</summary>
public readonly record struct ScoringOutcome<T>(ScoringStatus Status, T? Scored, IReadOnlyDictionary<string, List<string>>? Errors, LogRefusal? Refusal = null);

/// <summary>
/// The one scoring path behind /score-lead and /score-leads: reads the current serving snapshot once, reads and
/// validates the body, scores each lead and bands it, and records the request's leads in the prediction log (one
/// unit: they are committed together before the call returns Scored). This is where the deployment arms (which
/// model answers) plug in.
/// </summary>
public sealed class LeadScoringService(ServingState serving, IOptions<ScoringOptions> options, PredictionRecorder recorder, TimeProvider time)
{
    private readonly ScoringOptions _options = options.Value;

    /// <summary>The score bands, parsed at start-up.</summary>
    public ScoreBuckets Buckets { get; } = options.Value.ToBuckets();

    /// <summary>Most leads per batch.</summary>
    public int MaxBatchSize => _options.MaxBatchSize;

    /// <summary>Scores a body holding one lead.</summary>
    public async Task<ScoringOutcome<ScoredLead>> ScoreLeadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (serving.Snapshot is not { } snapshot)
        {
            return new(ScoringStatus.NoModel, default, null);
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(request, _options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return new(ScoringStatus.Invalid, default, Errors(bodyError));
        }

        ScoredLead scored;
        using (document)
        {
            var model = snapshot.Champion;
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (ScoreRequestParser.Parse(document.RootElement, model.Package.Schema, "", errors) is not { } lead)
            {
                return new(ScoringStatus.Invalid, default, errors);
            }

            scored = Score(model, lead.LeadId, lead.Features);
        }

        return await RecordAsync([scored], request.HttpContext.TraceIdentifier).ConfigureAwait(false) is { } refusal
            ? new(ScoringStatus.LogRefused, default, null, refusal)
            : new(ScoringStatus.Scored, scored, null);
    }

    /// <summary>Scores a body holding a JSON array of leads: all of them, or none when any is invalid.</summary>
    public async Task<ScoringOutcome<ScoredLead[]>> ScoreLeadsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (serving.Snapshot is not { } snapshot)
        {
            return new(ScoringStatus.NoModel, null, null);
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(request, _options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return new(ScoringStatus.Invalid, null, Errors(bodyError));
        }

        ScoredLead[] scored;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return new(ScoringStatus.Invalid, null, Errors(new("body", "must be a JSON array of leads")));
            }

            var count = root.GetArrayLength();
            if (count == 0 || count > _options.MaxBatchSize)
            {
                return new(ScoringStatus.Invalid, null, Errors(new("body", $"holds {count} leads; a batch holds 1 to {_options.MaxBatchSize}")));
            }

            var model = snapshot.Champion;
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var leads = new (string LeadId, LeadFeatures Features)[count];
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (ScoreRequestParser.Parse(element, model.Package.Schema, $"[{index}]", errors) is { } lead)
                {
                    leads[index] = lead;
                }

                index++;
            }

            if (errors.Count > 0)
            {
                return new(ScoringStatus.Invalid, null, errors);
            }

            scored = new ScoredLead[count];
            for (var i = 0; i < count; i++)
            {
                scored[i] = Score(model, leads[i].LeadId, leads[i].Features);
            }
        }

        return await RecordAsync(scored, request.HttpContext.TraceIdentifier).ConfigureAwait(false) is { } refusal
            ? new(ScoringStatus.LogRefused, null, null, refusal)
            : new(ScoringStatus.Scored, scored, null);
    }

    private ScoredLead Score(LoadedModel model, string leadId, LeadFeatures features)
    {
        var started = time.GetTimestamp();
        var score = model.Package.Scorer.Score(features);
        var bucket = Buckets.Of(score);
        var latency = (long)time.GetElapsedTime(started).TotalMicroseconds;
        return new ScoredLead(leadId, ServingArm.Champion, model, score, bucket, features, latency);
    }

    /// <summary>
    /// Hands the request's leads to the prediction log as one unit and waits for their commit: null when they are
    /// committed (or the log is off, or serve-unlogged answered anyway), otherwise why the request is refused.
    /// </summary>
    private ValueTask<LogRefusal?> RecordAsync(ReadOnlySpan<ScoredLead> leads, string requestId)
    {
        if (!recorder.Enabled)
        {
            return ValueTask.FromResult<LogRefusal?>(null);
        }

        var scoredAt = time.GetUtcNow();
        var records = new PredictionRecord[leads.Length];
        for (var i = 0; i < leads.Length; i++)
        {
            ref readonly var lead = ref leads[i];
            records[i] = new PredictionRecord(
                requestId, lead.LeadId, scoredAt, lead.Model.Name, lead.Model.Version, ArmName(lead.Arm), lead.Score, lead.Bucket,
                lead.LatencyMicroseconds, LeadFeaturesJson.Write(lead.Features, lead.Model.Package.Schema));
        }

        return recorder.RecordAsync(records);
    }

    private static string ArmName(ServingArm arm) => arm switch
    {
        ServingArm.Challenger => ServingArms.Challenger,
        ServingArm.Shadow => ServingArms.Shadow,
        _ => ServingArms.Champion,
    };

    private static Dictionary<string, List<string>> Errors(BodyError error) => new(StringComparer.Ordinal) { [error.Field] = [error.Message] };
}
