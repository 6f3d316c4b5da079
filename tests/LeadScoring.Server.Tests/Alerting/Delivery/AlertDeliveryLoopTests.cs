using System.Text.Json;
using LeadScoring.Server.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

/// <summary>The worker as the host runs it: woken by the signal at once, else after the poll interval on the host's (fake) clock.</summary>
public sealed class AlertDeliveryLoopTests
{
    [Fact]
    public async Task A_pulse_wakes_the_worker_at_once_and_without_one_it_waits_for_the_poll_interval_on_the_host_clock()
    {
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(null, null, pagerDuty));
        var worker = harness.Worker;
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Until(() => worker.Passes >= 1);

            // The evaluator stored findings and pulsed: delivered though the fake clock never moves.
            var alertId = (await harness.BreachAsync(channels: ["pagerduty"])).Applied.Single().AlertId!.Value;
            harness.Services.GetRequiredService<AlertDeliverySignal>().Pulse();
            await Until(() => pagerDuty.Requests.Count == 1);

            // No pulse: the acknowledgement waits for the poll interval, which passes only on the host's clock.
            await harness.Store.AcknowledgeAsync(alertId, "alice", "looking", harness.Clock.GetUtcNow());
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Single(pagerDuty.Requests);
            await Until(() =>
            {
                harness.Clock.Advance(TimeSpan.FromSeconds(1));
                return pagerDuty.Requests.Count == 2;
            });
            Assert.Equal("acknowledge", JsonDocument.Parse(pagerDuty.Requests.Last().Body).RootElement.GetProperty("event_action").GetString());
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_failing_store_is_logged_and_the_loop_goes_on()
    {
        await using var harness = WorkerHarness.Create(DeliveryServices.Settings(null, null, null));
        var worker = harness.Worker;
        await worker.StartAsync(CancellationToken.None);
        await Until(() => worker.Passes >= 1);

        await harness.Store.DisposeAsync();
        var signal = harness.Services.GetRequiredService<AlertDeliverySignal>();
        await Until(() =>
        {
            signal.Pulse();
            return harness.Logs.Records.Count(r => r.Text.Contains("the alert delivery pass failed", StringComparison.Ordinal)) >= 3;
        });

        Assert.False(worker.ExecuteTask!.IsCompleted);
        await worker.StopAsync(CancellationToken.None);
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
