using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

public sealed class PagerDutyChannelTests
{
    [Fact]
    public async Task A_trigger_then_a_resolve_share_the_dedup_key_and_the_trigger_carries_the_full_payload()
    {
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, null, pagerDuty), new FakeTimeProvider(DeliveryServices.Start), logs);
        var channel = services.Channel("pagerduty");

        await channel.SendAsync(DeliveryServices.Sample("pagerduty", AlertEvent.Trigger, id: 1), CancellationToken.None);
        await channel.SendAsync(DeliveryServices.Sample("pagerduty", AlertEvent.Resolve, id: 2), CancellationToken.None);

        var requests = pagerDuty.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/v2/enqueue", r.Path));
        using var trigger = JsonDocument.Parse(requests[0].Body);
        using var resolve = JsonDocument.Parse(requests[1].Body);
        var t = trigger.RootElement;
        Assert.Equal(DeliveryServices.RoutingKey, t.GetProperty("routing_key").GetString());
        Assert.Equal("trigger", t.GetProperty("event_action").GetString());
        Assert.Equal("feature_drift|lead-scoring/lead_source", t.GetProperty("dedup_key").GetString());
        var payload = t.GetProperty("payload");
        Assert.StartsWith("[CRITICAL] feature_drift on lead-scoring/lead_source: PSI of lead_source is 0.31", payload.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("lead-scoring", payload.GetProperty("source").GetString());
        Assert.Equal("critical", payload.GetProperty("severity").GetString());
        Assert.Equal("lead-scoring", payload.GetProperty("component").GetString());
        Assert.Equal("lead-scoring/lead_source", payload.GetProperty("group").GetString());
        Assert.Equal("feature_drift", payload.GetProperty("class").GetString());
        Assert.Equal("2026-12-02T10:01:00.000Z", payload.GetProperty("timestamp").GetString());
        Assert.Equal("0.31", payload.GetProperty("custom_details").GetProperty("psi").GetString());
        Assert.Equal("https://scoring.example.com/alerts/42", t.GetProperty("links")[0].GetProperty("href").GetString());

        var r = resolve.RootElement;
        Assert.Equal("resolve", r.GetProperty("event_action").GetString());
        Assert.Equal(t.GetProperty("dedup_key").GetString(), r.GetProperty("dedup_key").GetString());
        Assert.False(r.TryGetProperty("payload", out _));
        DeliveryServices.AssertNoSecret(logs.AllText);
    }

    [Theory]
    [InlineData(AlertEvent.Acknowledge, "acknowledge")]
    [InlineData(AlertEvent.Reminder, "trigger")]
    [InlineData(AlertEvent.Escalation, "trigger")]
    public async Task Other_events_map_to_their_event_action_with_the_same_dedup_key(AlertEvent @event, string action)
    {
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, null, pagerDuty), new FakeTimeProvider(DeliveryServices.Start), new AllLogs());

        await services.Channel("pagerduty").SendAsync(DeliveryServices.Sample("pagerduty", @event, level: AlertLevel.Warning), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(pagerDuty.Requests).Body);
        Assert.Equal(action, json.RootElement.GetProperty("event_action").GetString());
        Assert.Equal("feature_drift|lead-scoring/lead_source", json.RootElement.GetProperty("dedup_key").GetString());
        if (action == "trigger")
        {
            Assert.Equal("warning", json.RootElement.GetProperty("payload").GetProperty("severity").GetString());
        }
    }

    [Fact]
    public async Task Only_202_is_success_and_a_refusal_quoting_the_request_back_does_not_leak_the_routing_key()
    {
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(400);
        pagerDuty.EchoBody = true;
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, null, pagerDuty), new FakeTimeProvider(DeliveryServices.Start), logs);

        var error = await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("pagerduty").SendAsync(DeliveryServices.Sample("pagerduty", AlertEvent.Trigger), CancellationToken.None));

        // 400 is not transient: one request only.
        Assert.Single(pagerDuty.Requests);
        Assert.StartsWith("pagerduty answered 400", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"routing_key\":\"***\"", error.Message, StringComparison.Ordinal);
        DeliveryServices.AssertNoSecret(error.ToString());
        DeliveryServices.AssertNoSecret(logs.AllText);

        pagerDuty.Status = 200;
        await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("pagerduty").SendAsync(DeliveryServices.Sample("pagerduty", AlertEvent.Trigger), CancellationToken.None));
    }
}
