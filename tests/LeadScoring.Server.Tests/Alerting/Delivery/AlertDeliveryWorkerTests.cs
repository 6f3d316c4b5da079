using System.Text.Json;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

/// <summary>The delivery worker on the real alert store (SQLite) against real receivers on 127.0.0.1.</summary>
public sealed class AlertDeliveryWorkerTests
{
    [Fact]
    public async Task Every_channel_gets_the_trigger_on_the_first_pass_and_the_resolve_after_the_clear_with_each_attempt_recorded()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(slack, smtp, pagerDuty));

        var opened = await harness.BreachAsync();
        var alertId = opened.Applied.Single().AlertId!.Value;
        Assert.Equal(new DeliveryPass(3, 3, 0, 0), await harness.Worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(new DeliveryPass(0, 0, 0, 0), await harness.Worker.RunOnceAsync(CancellationToken.None));

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await harness.ClearAsync();
        Assert.Equal(new DeliveryPass(3, 3, 0, 0), await harness.Worker.RunOnceAsync(CancellationToken.None));

        Assert.Equal(2, slack.Requests.Count);
        Assert.Equal(["[CRITICAL] feature_drift on lead-scoring/lead_source", "[CRITICAL] feature_drift on lead-scoring/lead_source (resolved)"], smtp.Messages.Select(m => m.Subject));
        var events = pagerDuty.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["trigger", "resolve"], events.Select(e => e.GetProperty("event_action").GetString()));
        Assert.Single(events.Select(e => e.GetProperty("dedup_key").GetString()).Distinct());
        Assert.Contains($"/alerts/{alertId}|Open the alert>", JsonDocument.Parse(slack.Requests.First().Body).RootElement.GetProperty("blocks")[4].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);

        var detail = await harness.DetailAsync(alertId);
        Assert.Equal(6, detail.Deliveries.Count);
        Assert.All(detail.Deliveries, d => Assert.Equal(DeliveryState.Sent, d.State));
        Assert.Equal(6, detail.Attempts.Count);
        Assert.All(detail.Attempts, a => Assert.True(a.Succeeded && a.Error is null && a.DurationMilliseconds > 0));
        DeliveryServices.AssertNoSecret(harness.Logs.AllText);
    }

    [Fact]
    public async Task A_dead_channel_is_retried_with_growing_backoff_until_it_fails_while_the_others_are_delivered_on_the_first_pass()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(503);
        var closed = await FakeHttpReceiver.StartAsync(202);
        await closed.DisposeAsync();
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        var settings = DeliveryServices.Settings(slack, smtp, closed);
        settings["LeadScoring:Alerting:Delivery:MaxAttempts"] = "4";
        await using var harness = WorkerHarness.Create(settings);
        var alertId = (await harness.BreachAsync()).Applied.Single().AlertId!.Value;

        Assert.Equal(new DeliveryPass(3, 1, 2, 0), await harness.Worker.RunOnceAsync(CancellationToken.None));
        Assert.Single(smtp.Messages);
        // The in-call retry: 3 requests per attempt.
        Assert.Equal(3, slack.Requests.Count);

        var waits = new List<TimeSpan>();
        for (var attempt = 2; attempt <= 4; attempt++)
        {
            var pending = (await harness.DetailAsync(alertId)).Deliveries.Where(d => d.Channel != "email").ToList();
            Assert.All(pending, d => Assert.Equal(DeliveryState.Pending, d.State));
            var due = pending.Max(d => d.NextAttemptAt);
            waits.Add(pending.Min(d => d.NextAttemptAt) - harness.Clock.GetUtcNow());

            // Not due yet: nothing is claimed.
            harness.Clock.Advance((pending.Min(d => d.NextAttemptAt) - harness.Clock.GetUtcNow()) / 2);
            Assert.Equal(0, (await harness.Worker.RunOnceAsync(CancellationToken.None)).Claimed);

            harness.Clock.Advance(due - harness.Clock.GetUtcNow());
            var pass = await harness.Worker.RunOnceAsync(CancellationToken.None);
            Assert.Equal(2, pass.Claimed);
            Assert.Equal(attempt == 4 ? new DeliveryPass(2, 0, 0, 2) : new DeliveryPass(2, 0, 2, 0), pass);
        }

        // 30 s, 1 min, 2 min, each ±10 %.
        Assert.InRange(waits[0], TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33));
        Assert.InRange(waits[1], TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(66));
        Assert.InRange(waits[2], TimeSpan.FromSeconds(108), TimeSpan.FromSeconds(132));

        var detail = await harness.DetailAsync(alertId);
        var slackDelivery = detail.Deliveries.Single(d => d.Channel == "slack");
        var pagerDutyDelivery = detail.Deliveries.Single(d => d.Channel == "pagerduty");
        Assert.Equal((DeliveryState.Failed, 4), (slackDelivery.State, slackDelivery.Attempts));
        Assert.Equal((DeliveryState.Failed, 4), (pagerDutyDelivery.State, pagerDutyDelivery.Attempts));
        Assert.StartsWith("slack answered 503", slackDelivery.LastError, StringComparison.Ordinal);
        Assert.StartsWith("pagerduty could not be reached", pagerDutyDelivery.LastError, StringComparison.Ordinal);
        var slackAttempts = detail.Attempts.Where(a => a.DeliveryId == slackDelivery.Id).OrderBy(a => a.Attempt).ToList();
        Assert.Equal([1, 2, 3, 4], slackAttempts.Select(a => a.Attempt));
        Assert.All(slackAttempts, a => Assert.False(a.Succeeded));
        Assert.Equal(12, slack.Requests.Count);
        Assert.Single(smtp.Messages);
        Assert.All(detail.Attempts, a => DeliveryServices.AssertNoSecret(a.Error ?? ""));
        DeliveryServices.AssertNoSecret(harness.Logs.AllText);
    }

    [Fact]
    public async Task A_slow_channel_does_not_hold_the_others()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        slack.Delay = TimeSpan.FromSeconds(3);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(slack, smtp, pagerDuty));
        await harness.BreachAsync();

        var pass = harness.Worker.RunOnceAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(2.5);
        while ((smtp.Messages.IsEmpty || pagerDuty.Requests.IsEmpty) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.False(pass.IsCompleted);
        Assert.Single(smtp.Messages);
        Assert.Single(pagerDuty.Requests);
        Assert.Equal(new DeliveryPass(3, 3, 0, 0), await pass);
        Assert.Single(slack.Requests);
    }

    [Fact]
    public async Task A_delivery_to_a_channel_that_is_not_configured_fails_at_once_saying_so()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(slack, null, null));
        Assert.Equal(["slack"], harness.Services.GetRequiredService<AlertChannelRegistry>().Configured);
        var alertId = (await harness.BreachAsync(channels: ["slack", "email"])).Applied.Single().AlertId!.Value;

        Assert.Equal(new DeliveryPass(2, 1, 0, 1), await harness.Worker.RunOnceAsync(CancellationToken.None));

        var email = (await harness.DetailAsync(alertId)).Deliveries.Single(d => d.Channel == "email");
        Assert.Equal((DeliveryState.Failed, 1), (email.State, email.Attempts));
        Assert.StartsWith("channel 'email' is not configured (see LeadScoring:Alerting:Channels); configured: slack", email.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_restart_between_finding_and_delivery_each_channel_is_told_exactly_once()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(slack, smtp, pagerDuty));
        await harness.BreachAsync();
        // The process dies before its worker ran: nothing was sent.
        await harness.RestartAsync();
        Assert.Empty(slack.Requests);

        Assert.Equal(new DeliveryPass(3, 3, 0, 0), await harness.Worker.RunOnceAsync(CancellationToken.None));
        await harness.RestartAsync();
        Assert.Equal(0, (await harness.Worker.RunOnceAsync(CancellationToken.None)).Claimed);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await harness.Worker.RunOnceAsync(CancellationToken.None)).Claimed);

        Assert.Single(slack.Requests);
        Assert.Single(pagerDuty.Requests);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task A_storm_of_a_thousand_breaches_in_an_hour_then_a_clear_reaches_each_receiver_once_as_trigger_and_once_as_resolve()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(slack, smtp, pagerDuty));

        for (var i = 0; i < 1000; i++)
        {
            await harness.BreachAsync();
            harness.Clock.Advance(TimeSpan.FromSeconds(3.5));
            if (i % 100 == 0)
            {
                await harness.Worker.RunOnceAsync(CancellationToken.None);
            }
        }

        Assert.True(harness.Clock.GetUtcNow() - DeliveryServices.Start < TimeSpan.FromHours(1));
        await harness.ClearAsync();
        await harness.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, (await harness.Worker.RunOnceAsync(CancellationToken.None)).Claimed);

        Assert.Equal(["[CRITICAL] feature_drift on lead-scoring/lead_source", "[CRITICAL] feature_drift on lead-scoring/lead_source (resolved)"], smtp.Messages.Select(m => m.Subject));
        Assert.Equal(
            ["[CRITICAL] feature_drift on lead-scoring/lead_source", "[CRITICAL] feature_drift on lead-scoring/lead_source (resolved)"],
            slack.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()));
        Assert.Equal(["trigger", "resolve"], pagerDuty.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event_action").GetString()));
    }
}
