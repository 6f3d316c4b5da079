using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Server.Serving;
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
public readonly record struct ScoredLead(string LeadId, ServingArm Arm, LoadedModel Model, double Score, string Bucket, LeadFeatures Features);

/// <summary>How a scoring call ended.</summary>
public enum ScoringStatus
{
    /// <summary>Every lead was scored.</summary>
    Scored,

    /// <summary>The body or a lead is invalid; nothing was scored (a 400).</summary>
    Invalid,

    /// <summary>No model is loaded (a 503).</summary>
    NoModel,
}

/// <summary>The result of a scoring call: the scored lead(s), or the errors by field.</summary>
public readonly record struct ScoringOutcome<T>(ScoringStatus Status, T? Scored, IReadOnlyDictionary<string, List<string>>? Errors);

/// <summary>
/// The one scoring path behind /score-lead and /score-leads: reads the current serving snapshot once, reads and
/// validates the body, scores each lead and bands it. This is where the deployment arms (which model answers)
/// and the prediction log (what was scored) plug in.
/// </summary>
public sealed class LeadScoringService(ServingState serving, IOptions<ScoringOptions> options)
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

        using (document)
        {
            var model = snapshot.Champion;
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            return ScoreRequestParser.Parse(document.RootElement, model.Package.Schema, "", errors) is { } lead
                ? new(ScoringStatus.Scored, Score(model, lead.LeadId, lead.Features), null)
                : new(ScoringStatus.Invalid, default, errors);
        }
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

            var scored = new ScoredLead[count];
            for (var i = 0; i < count; i++)
            {
                scored[i] = Score(model, leads[i].LeadId, leads[i].Features);
            }

            return new(ScoringStatus.Scored, scored, null);
        }
    }

    private ScoredLead Score(LoadedModel model, string leadId, LeadFeatures features)
    {
        var score = model.Package.Scorer.Score(features);
        return new ScoredLead(leadId, ServingArm.Champion, model, score, Buckets.Of(score), features);
    }

    private static Dictionary<string, List<string>> Errors(BodyError error) => new(StringComparer.Ordinal) { [error.Field] = [error.Message] };
}
