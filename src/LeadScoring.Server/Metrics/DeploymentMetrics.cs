using System.Diagnostics.Metrics;
using LeadScoring.Server.Serving;

namespace LeadScoring.Server.Metrics;

/// <summary>
/// What this instance serves and what its guardrails did (Meter <see cref="MeterName"/>): the served models as a
/// Prometheus info-style gauge (1 per model, version and arm), the active deployment and its challenger's share, read
/// from the serving snapshot at each scrape, and the deployments the guardrails rolled back, by rule.
/// </summary>
public sealed class DeploymentMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LeadScoring.Deployments";

    private readonly Counter<long> _rolledBack;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>; the gauges read <paramref name="serving"/>.</summary>
    public DeploymentMetrics(IMeterFactory meters, ServingState serving)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(serving);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("leadscoring.serving.models", () => Served(serving.Snapshot), "{model}", "Models this instance serves (1 per model, version and arm)");
        meter.CreateObservableGauge("leadscoring.deployment.active", () => Active(serving.Snapshot), "{deployment}", "The deployment this instance serves beside the champion (1 by id and mode; none in single mode)");
        meter.CreateObservableGauge("leadscoring.deployment.challenger_share", () => Share(serving.Snapshot), unit: null, "The share of the leads the active deployment's challenger answers (0 for shadow)");
        _rolledBack = meter.CreateCounter<long>("leadscoring.deployment.rolled_back", "{deployment}", "Deployments the guardrails rolled back on this instance, by rule");
    }

    /// <summary>The guardrails rolled a deployment back for breaching <paramref name="rule"/>.</summary>
    public void RolledBack(string rule) => _rolledBack.Add(1, new KeyValuePair<string, object?>("rule", rule));

    private static IEnumerable<Measurement<int>> Served(ServingSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            yield break;
        }

        yield return Model(snapshot.Champion, "champion");
        if (snapshot.Deployment is { } deployment)
        {
            yield return Model(deployment.Challenger, deployment.IsShadow ? "shadow" : "challenger");
        }
    }

    private static Measurement<int> Model(LoadedModel model, string arm) =>
        new(1, new KeyValuePair<string, object?>("model", model.Name), new("version", model.Version), new("arm", arm));

    private static IEnumerable<Measurement<int>> Active(ServingSnapshot? snapshot)
    {
        if (snapshot?.Deployment is { } deployment)
        {
            yield return new(1, new KeyValuePair<string, object?>("deployment_id", deployment.Id), new("mode", deployment.Mode));
        }
    }

    private static IEnumerable<Measurement<double>> Share(ServingSnapshot? snapshot)
    {
        if (snapshot?.Deployment is { } deployment)
        {
            yield return new(deployment.Share, new KeyValuePair<string, object?>("deployment_id", deployment.Id), new("mode", deployment.Mode));
        }
    }
}
