using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Storage.Tests.Alerting;

/// <summary>The outbox (claims, leases, attempts) and acknowledgements.</summary>
public abstract partial class AlertStoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Opens alerts on <paramref name="count"/> subjects, each with a trigger to slack only, one store-clock second apart.</summary>
    private async Task<List<long>> QueueTriggersAsync(int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var alert = (await ApplyAsync(Breach(At(0), subject: $"subject/{i}", channels: [AlertChannels.Slack]))).Applied[0].AlertId!.Value;
            ids.Add((await DetailAsync(alert)).Deliveries.Single().Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        return ids;
    }

    private async Task<AlertDelivery> DeliveryAsync(long deliveryId)
    {
        var page = await Store.ListAlertsAsync(new AlertFilter(), pageSize: AlertStore.MaxPageSize);
        foreach (var alert in page.Alerts)
        {
            if ((await DetailAsync(alert.Id)).Deliveries.FirstOrDefault(d => d.Id == deliveryId) is { } found)
            {
                return found;
            }
        }

        throw new InvalidOperationException($"no delivery {deliveryId}");
    }

    [Fact]
    public async Task Claiming_takes_due_deliveries_oldest_first_and_holds_them_for_the_lease()
    {
        var ids = await QueueTriggersAsync(5);
        var now = Time.GetUtcNow();

        var first = await Store.ClaimDueDeliveriesAsync("worker-a", now, Lease, limit: 3);
        Assert.Equal(ids[..3], first.Select(d => d.Id));
        Assert.Equal(ids[3..], (await Store.ClaimDueDeliveriesAsync("worker-b", now, Lease)).Select(d => d.Id));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("worker-c", now.AddSeconds(59), Lease));

        // The lease ended without an attempt (the worker died): another worker gets them.
        var retaken = await Store.ClaimDueDeliveriesAsync("worker-c", now + Lease, Lease, limit: 10);
        Assert.Equal(ids, retaken.Select(d => d.Id));
        Assert.Equal(now + Lease + Lease, await Store.NextDueAtAsync());
    }

    [Fact]
    public async Task A_delivery_is_not_claimed_before_it_is_due()
    {
        Assert.Null(await Store.NextDueAtAsync());
        var id = (await QueueTriggersAsync(1))[0];
        Assert.Equal(Start, await Store.NextDueAtAsync());

        Assert.Empty(await Store.ClaimDueDeliveriesAsync("w", Start.AddSeconds(-1), Lease));
        Assert.Equal(id, Assert.Single(await Store.ClaimDueDeliveriesAsync("w", Start, Lease)).Id);
    }

    [Fact]
    public async Task Two_workers_claiming_concurrently_never_get_the_same_delivery()
    {
        var ids = await QueueTriggersAsync(40);
        var stores = new[] { Store, Open() };
        var now = Time.GetUtcNow();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = stores.Select((store, i) => Task.Run(async () =>
        {
            await gate.Task;
            var mine = new List<long>();
            while (await store.ClaimDueDeliveriesAsync($"worker-{i}", now, Lease, limit: 3) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Select(d => d.Id));
            }

            return mine;
        })).ToArray();
        gate.SetResult();

        var claims = await Task.WhenAll(workers);
        Assert.Empty(claims[0].Intersect(claims[1]));
        Assert.Equal(ids, claims.SelectMany(c => c).Order());
    }

    [Fact]
    public async Task An_attempt_records_success_retry_and_giving_up_and_clears_the_claim()
    {
        var ids = await QueueTriggersAsync(3);
        var now = Time.GetUtcNow();
        await Store.ClaimDueDeliveriesAsync("w", now, Lease);

        Assert.True(await Store.RecordAttemptAsync(ids[0], "w", new DeliveryOutcome(true, now, 12.5, null, null)));
        Assert.True(await Store.RecordAttemptAsync(ids[1], "w", new DeliveryOutcome(false, now, 30, "HTTP 503", now.AddMinutes(5))));
        Assert.True(await Store.RecordAttemptAsync(ids[2], "w", new DeliveryOutcome(false, now, 40, "HTTP 400: invalid payload", null)));

        var sent = await DeliveryAsync(ids[0]);
        Assert.Equal((DeliveryState.Sent, 1, (DateTimeOffset?)now, (string?)null), (sent.State, sent.Attempts, sent.SentAt, sent.LastError));
        var retried = await DeliveryAsync(ids[1]);
        Assert.Equal((DeliveryState.Pending, 1, now.AddMinutes(5), "HTTP 503"), (retried.State, retried.Attempts, retried.NextAttemptAt, retried.LastError));
        var failed = await DeliveryAsync(ids[2]);
        Assert.Equal((DeliveryState.Failed, 1, "HTTP 400: invalid payload"), (failed.State, failed.Attempts, failed.LastError));
        var attempt = Assert.Single((await DetailAsync(retried.AlertId)).Attempts);
        Assert.Equal(new DeliveryAttempt(ids[1], 1, now, false, 30, "HTTP 503"), attempt);

        // Only the retry is pending, due in five minutes; the claim was given back, so it is claimable then (not before).
        Assert.Equal(now.AddMinutes(5), await Store.NextDueAtAsync());
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("w2", now.AddMinutes(4), Lease));
        Assert.Equal(ids[1], Assert.Single(await Store.ClaimDueDeliveriesAsync("w2", now.AddMinutes(5), Lease)).Id);
        Assert.True(await Store.RecordAttemptAsync(ids[1], "w2", new DeliveryOutcome(true, now.AddMinutes(5), 8, null, null)));
        var second = await DeliveryAsync(ids[1]);
        Assert.Equal((DeliveryState.Sent, 2, "HTTP 503"), (second.State, second.Attempts, second.LastError));
        Assert.Equal([1, 2], (await DetailAsync(retried.AlertId)).Attempts.Select(a => a.Attempt));
        Assert.Null(await Store.NextDueAtAsync());
    }

    [Fact]
    public async Task An_attempt_by_a_worker_that_lost_its_claim_is_refused_and_writes_nothing()
    {
        var id = (await QueueTriggersAsync(1))[0];
        var now = Time.GetUtcNow();
        await Store.ClaimDueDeliveriesAsync("slow", now, Lease);
        var taken = await Store.ClaimDueDeliveriesAsync("fast", now + Lease, Lease);
        Assert.Equal(id, Assert.Single(taken).Id);

        Assert.False(await Store.RecordAttemptAsync(id, "slow", new DeliveryOutcome(true, now + Lease, 5, null, null)));
        Assert.False(await Store.RecordAttemptAsync(id, "nobody", new DeliveryOutcome(true, now + Lease, 5, null, null)));
        Assert.False(await Store.RecordAttemptAsync(id + 1000, "fast", new DeliveryOutcome(true, now + Lease, 5, null, null)));
        var delivery = await DeliveryAsync(id);
        Assert.Equal((DeliveryState.Pending, 0), (delivery.State, delivery.Attempts));
        Assert.Empty((await DetailAsync(delivery.AlertId)).Attempts);

        Assert.True(await Store.RecordAttemptAsync(id, "fast", new DeliveryOutcome(true, now + Lease, 5, null, null)));
        // Sent: its claimer cannot record it twice.
        Assert.False(await Store.RecordAttemptAsync(id, "fast", new DeliveryOutcome(true, now + Lease, 5, null, null)));
        Assert.Single((await DetailAsync(delivery.AlertId)).Attempts);
    }

    [Fact]
    public async Task Acknowledging_records_who_and_why_and_tells_pagerduty_only_when_it_was_told()
    {
        var critical = await OpenAsync(At(0), AlertLevel.Critical);
        var warning = await OpenAsync(At(0), AlertLevel.Warning, subject: "lead-scoring/v3");

        var acknowledged = await Store.AcknowledgeAsync(critical, "alice", "rolling back", At(3));
        await Store.AcknowledgeAsync(warning, "bob", null, At(4));

        Assert.Equal(((DateTimeOffset?)At(3), "alice", "rolling back"), (acknowledged!.AcknowledgedAt, acknowledged.AcknowledgedBy, acknowledged.AcknowledgementNote));
        var ack = Assert.Single((await DetailAsync(critical)).Deliveries, d => d.Event == AlertEvent.Acknowledge);
        Assert.Equal((AlertChannels.PagerDuty, acknowledged.DedupKey, DeliveryState.Pending), (ack.Channel, ack.DedupKey, ack.State));
        Assert.DoesNotContain((await DetailAsync(warning)).Deliveries, d => d.Event == AlertEvent.Acknowledge);
        Assert.Equal("bob", (await DetailAsync(warning)).Alert.AcknowledgedBy);

        // Again: the first acknowledgement stands, nothing more is queued.
        var again = await Store.AcknowledgeAsync(critical, "carol", "me too", At(5));
        Assert.Equal(acknowledged, again);
        Assert.Single((await DetailAsync(critical)).Deliveries, d => d.Event == AlertEvent.Acknowledge);

        Assert.Null(await Store.AcknowledgeAsync(critical + 1000, "alice", null, At(5)));
        await ApplyAsync(Clear(At(6)));
        await Assert.ThrowsAsync<AlertStateException>(() => Store.AcknowledgeAsync(critical, "alice", null, At(7)));
        Assert.Equal(Each(AlertEvent.Resolve, CriticalChannels), (await EventsAsync(critical)).Where(e => e.Event == AlertEvent.Resolve));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AcknowledgeAsync(warning, " ", null, At(7)));
    }
}
