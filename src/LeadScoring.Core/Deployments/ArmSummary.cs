using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>What one arm did: traffic, outcomes, ranking quality and speed.</summary>
/// <param name="Leads">Leads the arm scored.</param>
/// <param name="Labelled">Of those, leads whose outcome is known.</param>
/// <param name="Conversions">Of the labelled leads, those that converted.</param>
/// <param name="ConversionRate">Conversions / labelled; null without labelled leads.</param>
/// <param name="ConversionInterval">Wilson score interval of the conversion rate; null without labelled leads.</param>
/// <param name="RevenuePerLead">Reported revenue / labelled leads (a converted lead without revenue counts 0); null when no labelled lead reported revenue.</param>
/// <param name="RocAuc">ROC AUC of the arm's scores on its labelled leads; null unless both outcomes occur.</param>
/// <param name="LatencyP50Ms">Median scoring latency (ms); null when unknown.</param>
/// <param name="LatencyP95Ms">95th percentile (ms); null when unknown.</param>
/// <param name="LatencyP99Ms">99th percentile (ms); null when unknown.</param>
/// <param name="Requests">Requests from the arm counters.</param>
/// <param name="Errors">Failed requests from the arm counters.</param>
/// <param name="ErrorRate">Errors / requests; null without counted requests.</param>
public sealed record ArmSummary(
    long Leads,
    long Labelled,
    long Conversions,
    double? ConversionRate,
    ConfidenceInterval? ConversionInterval,
    double? RevenuePerLead,
    double? RocAuc,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    long Requests,
    long Errors,
    double? ErrorRate)
{
    /// <summary>Summarises one arm's leads and counters.</summary>
    public static ArmSummary Of(IReadOnlyList<LeadObservation> leads, ArmTraffic traffic, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(traffic);
        if (traffic.Requests < 0 || traffic.Errors < 0 || traffic.Errors > traffic.Requests)
        {
            throw new ArgumentException($"errors ({traffic.Errors}) must lie in [0, requests = {traffic.Requests}]", nameof(traffic));
        }

        var labelled = ArmSample.Labelled(leads);
        long n = labelled.Labels.Length;
        double? rate = n > 0 ? (double)labelled.Conversions / n : null;
        var latency = traffic.Latency ?? LatencyOf(leads);
        return new ArmSummary(
            leads.Count,
            n,
            labelled.Conversions,
            rate,
            n > 0 ? Wilson(labelled.Conversions, n, confidenceLevel) : null,
            labelled.AnyRevenue ? labelled.RevenueMoments(minimumLeads: 1)!.Value.Mean : null,
            labelled.Auc(),
            latency?.P50Ms,
            latency?.P95Ms,
            latency?.P99Ms,
            traffic.Requests,
            traffic.Errors,
            traffic.Requests > 0 ? (double)traffic.Errors / traffic.Requests : null);
    }

    /// <summary>
    /// The Wilson score interval (p̂ + z²/2n ± z√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n): unlike the Wald interval it
    /// stays inside [0, 1] and keeps its coverage with few leads or a rate near 0.
    /// </summary>
    public static ConfidenceInterval Wilson(long successes, long trials, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        var z = NormalTail.Quantile(0.5 + (level / 2));
        var p = (double)successes / trials;
        var z2n = z * z / trials;
        var centre = (p + (z2n / 2)) / (1 + z2n);
        var half = z / (1 + z2n) * Math.Sqrt((p * (1 - p) / trials) + (z2n / (4 * trials)));
        return new ConfidenceInterval(Math.Max(0, centre - half), Math.Min(1, centre + half), level);
    }

    private static LatencyQuantiles? LatencyOf(IReadOnlyList<LeadObservation> leads)
    {
        var ms = new List<double>(leads.Count);
        foreach (var lead in leads)
        {
            if (lead.LatencyMicroseconds is { } us)
            {
                ms.Add(us / 1000.0);
            }
        }

        if (ms.Count == 0)
        {
            return null;
        }

        ms.Sort();
        var sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ms);
        return new LatencyQuantiles(Quantiles.OfSorted(sorted, 0.50), Quantiles.OfSorted(sorted, 0.95), Quantiles.OfSorted(sorted, 0.99));
    }
}
