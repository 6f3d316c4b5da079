using LeadScoring.Core.Deployments;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Deployments;

/// <summary>Both arms of a deployment over one window, as the guardrails judge them.</summary>
/// <param name="From">Start of the window (inclusive, a minute boundary).</param>
/// <param name="To">End of the window (exclusive).</param>
/// <param name="Champion">The champion's requests, errors and P95 in the window, and its labelled leads since the deployment started.</param>
/// <param name="Challenger">The challenger's.</param>
public sealed record DeploymentWindow(DateTimeOffset From, DateTimeOffset To, ArmWindow Champion, ArmWindow Challenger)
{
    /// <summary>The figures as stored with a rollback or a step (snake_case JSON).</summary>
    public object ToFigures(string? rule) => new Dictionary<string, object?>
    {
        ["rule"] = rule,
        ["window_from"] = From,
        ["window_to"] = To,
        ["champion"] = Arm(Champion),
        ["challenger"] = Arm(Challenger),
    };

    private static Dictionary<string, object?> Arm(ArmWindow arm) => new()
    {
        ["requests"] = arm.Requests,
        ["errors"] = arm.Errors,
        ["latency_p95_ms"] = arm.LatencyP95Ms,
        ["labelled_leads"] = arm.LabelledLeads,
        ["conversions"] = arm.Conversions,
    };
}

/// <summary>
/// Gathers a deployment's window: every replica's arm-counter minutes merged per arm (requests, errors, and the P95
/// of the merged latency histogram), and per arm the leads first scored by that arm's version since the deployment
/// started whose outcome is known now (the prediction log joined to outcomes), with their conversions. Conversions are
/// not read over the sliding window: outcomes come days after the score, so the last minutes' leads have none yet.
/// </summary>
public sealed class ArmWindowReader(DeploymentStore store, FeedbackReader feedback)
{
    /// <summary>The window [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="deployment"/>, outcomes as known at <paramref name="now"/>.</summary>
    public async Task<DeploymentWindow> ReadAsync(Deployment deployment, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var minutes = await store.ReadArmMinutesAsync(deployment.Id, from, to, cancellationToken).ConfigureAwait(false);
        var champion = await ArmAsync(deployment, minutes, ServingArms.Champion, deployment.ChampionVersion, from, to, now, cancellationToken).ConfigureAwait(false);
        var challenger = deployment.ChallengerVersion is int version
            ? await ArmAsync(deployment, minutes, ServingArms.Challenger, version, from, to, now, cancellationToken).ConfigureAwait(false)
            : new ArmWindow(0, 0, null, 0, 0);
        return new DeploymentWindow(from, to, champion, challenger);
    }

    private async Task<ArmWindow> ArmAsync(
        Deployment deployment, IReadOnlyList<ArmMinute> minutes, string arm, int version, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latency = new LatencyHistogram();
        long requests = 0, errors = 0;
        foreach (var row in minutes.Where(m => m.Arm == arm))
        {
            requests += row.Requests;
            errors += row.Errors;
            latency.Merge(row.LatencyBuckets);
        }

        long labelled = 0, conversions = 0;
        var query = new LabelledQuery(deployment.ModelName, deployment.CreatedAt, to, now, version, arm);
        await foreach (var lead in feedback.ReadLabelledAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            labelled++;
            conversions += lead.Outcome!.Converted ? 1 : 0;
        }

        return new ArmWindow(requests, errors, latency.Quantile(0.95) / 1000.0, labelled, conversions);
    }
}
