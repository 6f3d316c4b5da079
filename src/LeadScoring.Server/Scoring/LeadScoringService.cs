using System.Text.Json;
using LeadScoring.Core.Deployments;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Serving;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Scoring;

/// <summary>One scored lead: who scored it, the score and band, and the validated features it was scored on.</summary>
/// <param name="LeadId">The caller's id for the lead.</param>
/// <param name="Arm">The deployment arm that answered.</param>
/// <param name="Model">The model (name, version, package) that scored it.</param>
/// <param name="Score">Calibrated conversion probability.</param>
/// <param name="Bucket">The score band.</param>
/// <param name="Features">The feature values, as validated against the model's schema.</param>
/// <param name="LatencyMicroseconds">How long the model that answered took to score and band it.</param>
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
/// unit: they are committed together before the call returns Scored). The one place a lead's arm is picked: under an
/// ab or canary deployment the challenger answers the leads whose sticky position is below its share (a challenger that
/// throws is replaced by the champion for that lead and counted as an error); under a shadow deployment the champion
/// answers and each committed lead is offered to the <see cref="ShadowScorer"/>. Every lead of a deployment is counted
/// in the <see cref="ArmCounters"/>.
/// </summary>
public sealed partial class LeadScoringService(
    ServingState serving,
    IOptions<ScoringOptions> options,
    PredictionRecorder recorder,
    ArmCounters counters,
    ShadowScorer shadow,
    ScoringMetrics metrics,
    TimeProvider time,
    ILogger<LeadScoringService> logger)
{
    private long _challengerErrors;

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
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (ScoreRequestParser.Parse(document.RootElement, snapshot.Champion.Package.Schema, "", errors) is not { } lead)
            {
                return new(ScoringStatus.Invalid, default, errors);
            }

            scored = Score(snapshot, lead.LeadId, lead.Features);
        }

        return await RecordAsync(snapshot, [scored], request.HttpContext.TraceIdentifier).ConfigureAwait(false) is { } refusal
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

            var schema = snapshot.Champion.Package.Schema;
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var leads = new (string LeadId, LeadFeatures Features)[count];
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (ScoreRequestParser.Parse(element, schema, $"[{index}]", errors) is { } lead)
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
                scored[i] = Score(snapshot, leads[i].LeadId, leads[i].Features);
            }
        }

        return await RecordAsync(snapshot, scored, request.HttpContext.TraceIdentifier).ConfigureAwait(false) is { } refusal
            ? new(ScoringStatus.LogRefused, null, null, refusal)
            : new(ScoringStatus.Scored, scored, null);
    }

    // The arm the deployment gives the lead answers it; without a deployment (single) nothing is counted.
    private ScoredLead Score(ServingSnapshot snapshot, string leadId, LeadFeatures features)
    {
        if (snapshot.Deployment is not { } deployment)
        {
            return Score(snapshot.Champion, ServingArm.Champion, leadId, features);
        }

        if (!deployment.IsShadow && StickyAssignment.IsChallenger(deployment.Salt, leadId, deployment.Share))
        {
            var started = time.GetTimestamp();
            try
            {
                var answered = Score(deployment.Challenger, ServingArm.Challenger, leadId, features);
                counters.Record(deployment.Id, ServingArm.Challenger, answered.LatencyMicroseconds);
                return answered;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The client never sees a challenger fail: the champion answers this lead, and the error counts
                // against the challenger (the guardrails roll it back). The lead stays in the challenger's arm.
                counters.Record(deployment.Id, ServingArm.Challenger, Microseconds(time.GetElapsedTime(started)), error: true);
                metrics.ChallengerFailed(deployment.Challenger);
                if (Interlocked.Increment(ref _challengerErrors) is var errors && (errors & (errors - 1)) == 0)
                {
                    LogChallengerFailed(logger, e, deployment.Challenger.Name, deployment.Challenger.Version, errors);
                }

                return Score(snapshot.Champion, ServingArm.Champion, leadId, features);
            }
        }

        var scored = Score(snapshot.Champion, ServingArm.Champion, leadId, features);
        counters.Record(deployment.Id, ServingArm.Champion, scored.LatencyMicroseconds);
        return scored;
    }

    private ScoredLead Score(LoadedModel model, ServingArm arm, string leadId, LeadFeatures features)
    {
        var started = time.GetTimestamp();
        var score = model.Scorer.Score(features);
        var bucket = Buckets.Of(score);
        var latency = Microseconds(time.GetElapsedTime(started));
        metrics.Scored(model, arm, score, latency);
        return new ScoredLead(leadId, arm, model, score, bucket, features, latency);
    }

    /// <summary>
    /// Hands the request's leads to the prediction log as one unit and waits for their commit: null when they are
    /// committed (or the log is off, or serve-unlogged answered anyway), otherwise why the request is refused. Under a
    /// shadow deployment the leads are then offered to the shadow model (only answered leads get a pair row).
    /// </summary>
    private async ValueTask<LogRefusal?> RecordAsync(ServingSnapshot snapshot, ScoredLead[] leads, string requestId)
    {
        PredictionRecord[]? records = null;
        if (recorder.Enabled)
        {
            var scoredAt = time.GetUtcNow();
            records = new PredictionRecord[leads.Length];
            for (var i = 0; i < leads.Length; i++)
            {
                var lead = leads[i];
                records[i] = new PredictionRecord(
                    requestId, lead.LeadId, scoredAt, lead.Model.Name, lead.Model.Version, ServingArmNames.Of(lead.Arm), lead.Score, lead.Bucket,
                    lead.LatencyMicroseconds, LeadFeaturesJson.Write(lead.Features, lead.Model.Package.Schema));
            }

            if (await recorder.RecordAsync(records).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }
        }

        if (snapshot.Deployment is { IsShadow: true } deployment)
        {
            var offeredAt = time.GetTimestamp();
            for (var i = 0; i < leads.Length; i++)
            {
                shadow.Offer(new ShadowLead(deployment, records?[i], leads[i].Features, offeredAt));
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the challenger {Model} v{Version} failed to score a lead; the champion answered it ({Errors} failures since start; logged at powers of two)")]
    private static partial void LogChallengerFailed(ILogger logger, Exception error, string model, int version, long errors);

    private static long Microseconds(TimeSpan elapsed) => (long)elapsed.TotalMicroseconds;

    private static Dictionary<string, List<string>> Errors(BodyError error) => new(StringComparer.Ordinal) { [error.Field] = [error.Message] };
}
