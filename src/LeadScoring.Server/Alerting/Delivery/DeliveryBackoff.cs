namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// When a failed delivery is tried again: <see cref="AlertDeliveryOptions.BackoffBase"/> doubled per earlier attempt
/// (30 s, 1 min, 2 min, …), with up to ±10 % jitter seeded by the delivery and attempt (so replicas that failed on the
/// same outage spread out, and a rerun is reproducible), capped at <see cref="AlertDeliveryOptions.BackoffMax"/>.
/// </summary>
public static class DeliveryBackoff
{
    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1 for the first) of delivery <paramref name="deliveryId"/>.</summary>
    public static TimeSpan Delay(long deliveryId, int attempt, TimeSpan backoffBase, TimeSpan backoffMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var doublings = Math.Min(attempt - 1, 30);
        var ticks = Math.Min(backoffBase.Ticks * Math.Pow(2, doublings), backoffMax.Ticks);
        // Not HashCode.Combine: it is seeded per process, and the jitter must be the same after a restart.
        var random = new Random(unchecked((int)(deliveryId * 397) ^ (attempt * 7919)));
        var jittered = ticks * (0.9 + (0.2 * random.NextDouble()));
        return TimeSpan.FromTicks((long)Math.Min(jittered, backoffMax.Ticks));
    }
}
