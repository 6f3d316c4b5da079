using System.Globalization;
using LeadScoring.Core.Deployments;
using LeadScoring.Core.Scoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Application.Deployments;

/// <summary>
/// The experiment analysis of a deployment, shared by <c>GET /deployments/{id}/analysis</c> and
/// <c>leadscore deploy status --analysis</c>: reads each arm's leads from the prediction log joined to their
/// outcomes, the arms' request counters, and runs <see cref="ExperimentAnalyzer"/> over them.
/// </summary>
/// <remarks>
/// <paramref name="bands"/> bands a shadow pair's challenger score (a pair row stores only the champion's band);
/// a host with configured score bands registers its <see cref="ScoreBuckets"/>, otherwise the default bands apply.
/// An unknown deployment is a <see cref="DeploymentNotFoundException"/>; a single-mode one (champion only, nothing
/// to compare) a <see cref="DeploymentConflictException"/>.
/// </remarks>
public sealed class DeploymentAnalysisUseCase(DeploymentStore store, FeedbackReader feedback, TimeProvider time, ScoreBuckets? bands = null)
{
    private readonly ScoreBuckets _bands = bands ?? ScoreBuckets.Default;

    /// <summary>Analyses the deployment's experiment as of now.</summary>
    public async Task<DeploymentAnalysisReport> AnalyzeAsync(long deploymentId, ExperimentOptions? options, CancellationToken cancellationToken = default)
    {
        options ??= ExperimentOptions.Default;
        options.Validate();
        var deployment = await store.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false)
            ?? throw new DeploymentNotFoundException(Text($"no deployment {deploymentId}")) { DeploymentId = deploymentId };
        if (deployment.Mode == DeploymentMode.Single || deployment.ChallengerVersion is not int challengerVersion)
        {
            throw new DeploymentConflictException(Text($"deployment {deploymentId} is single mode: the champion serves alone, there is no experiment to analyse")) { DeploymentId = deploymentId };
        }

        var now = time.GetUtcNow();
        var to = deployment.EndedAt ?? now;

        // A canary's share changes per step, and the sample-ratio check must compare the split against the share
        // the leads were assigned under: so only leads scored since the current step started are taken (in that
        // window every lead's arm came from the current share). An A/B test's share never changes: all its leads.
        var from = deployment.Mode == DeploymentMode.Canary ? deployment.StepStartedAt : deployment.CreatedAt;
        var share = deployment.Mode == DeploymentMode.Shadow ? 0 : deployment.Share;

        var traffic = await ReadTrafficAsync(deployment.Id, from, to, cancellationToken).ConfigureAwait(false);
        ExperimentInput input;
        if (deployment.Mode == DeploymentMode.Shadow)
        {
            var pairs = await ReadPairsAsync(deployment, challengerVersion, from, to, now, cancellationToken).ConfigureAwait(false);
            input = ExperimentInput.Shadow(pairs, traffic.GetValueOrDefault(ServingArms.Champion), traffic.GetValueOrDefault(ServingArms.Shadow));
        }
        else
        {
            var champion = await ReadArmAsync(deployment.ModelName, deployment.ChampionVersion, ServingArms.Champion, from, to, now, cancellationToken).ConfigureAwait(false);
            var challenger = await ReadArmAsync(deployment.ModelName, challengerVersion, ServingArms.Challenger, from, to, now, cancellationToken).ConfigureAwait(false);
            input = ExperimentInput.Split(share, champion, challenger, traffic.GetValueOrDefault(ServingArms.Champion), traffic.GetValueOrDefault(ServingArms.Challenger));
        }

        return new DeploymentAnalysisReport(deployment, ExperimentAnalyzer.Analyze(input, options), from, to, now, share);
    }

    private async Task<List<LeadObservation>> ReadArmAsync(
        string model, int version, string arm, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownBy, CancellationToken cancellationToken)
    {
        var leads = new List<LeadObservation>();
        var query = new LabelledQuery(model, from, to, knownBy, version, arm, IncludeUnlabelled: true);
        await foreach (var row in feedback.ReadLabelledAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var record = row.FirstScore.Record;
            leads.Add(new LeadObservation(record.Score, record.Band, record.LatencyMicroseconds, row.Outcome?.Converted, row.Outcome?.Revenue));
        }

        return leads;
    }

    // A pair row is the champion's served row with the challenger's shadow score beside it (arm "shadow").
    private async Task<List<ShadowPair>> ReadPairsAsync(
        Deployment deployment, int challengerVersion, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownBy, CancellationToken cancellationToken)
    {
        var pairs = new List<ShadowPair>();
        var query = new LabelledQuery(deployment.ModelName, from, to, knownBy, deployment.ChampionVersion, ServingArms.Shadow, IncludeUnlabelled: true);
        await foreach (var row in feedback.ReadLabelledAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var record = row.FirstScore.Record;
            if (record.ShadowModelVersion == challengerVersion && record.ShadowScore is double shadow)
            {
                pairs.Add(new ShadowPair(record.Score, shadow, record.Band, _bands.Of(shadow), row.Outcome?.Converted, row.Outcome?.Revenue));
            }
        }

        return pairs;
    }

    // Every replica's minutes of each arm, merged: requests and errors add up, latency histograms merge.
    private async Task<Dictionary<string, ArmTraffic>> ReadTrafficAsync(long deploymentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var minuteStart = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var rows = await store.ReadArmMinutesAsync(deploymentId, minuteStart, to, cancellationToken).ConfigureAwait(false);
        var traffic = new Dictionary<string, ArmTraffic>(StringComparer.Ordinal);
        foreach (var arm in rows.GroupBy(r => r.Arm, StringComparer.Ordinal))
        {
            long requests = 0, errors = 0;
            var histogram = new LatencyHistogram();
            foreach (var minute in arm)
            {
                requests += minute.Requests;
                errors += minute.Errors;
                histogram.Merge(minute.LatencyBuckets);
            }

            var latency = histogram.Count == 0
                ? null
                : new LatencyQuantiles(Milliseconds(histogram.Quantile(0.50)), Milliseconds(histogram.Quantile(0.95)), Milliseconds(histogram.Quantile(0.99)));
            traffic[arm.Key] = new ArmTraffic(requests, errors, latency);
        }

        return traffic;
    }

    private static double Milliseconds(double? microseconds) => microseconds!.Value / 1000.0;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
