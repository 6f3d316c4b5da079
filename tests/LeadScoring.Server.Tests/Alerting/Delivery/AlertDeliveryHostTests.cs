using LeadScoring.Server.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

/// <summary>The server as it runs: AddAlerting starts the worker, and a pulse after stored findings sends them.</summary>
public sealed class AlertDeliveryHostTests
{
    [Fact]
    public async Task The_running_server_sends_stored_findings_when_pulsed_on_a_fake_clock_and_logs_no_secret()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var service = await RunningService.StartAsync(DeliveryServices.Settings(slack, null, null), clock: new FakeTimeProvider(DeliveryServices.Start));
        Assert.Equal(["slack"], service.Services.GetRequiredService<AlertChannelRegistry>().Configured);

        await service.Services.GetRequiredService<AlertStore>().ApplyAsync(new AlertFindingBatch("ops:1", [new AlertFinding(
            "error_rate", "lead-scoring/v1", "lead-scoring", true, AlertLevel.Warning, DeliveryServices.Start, "5xx rate 7 % over 5 min", """{"rate":0.07}""", ["slack"], TimeSpan.FromHours(4))]));
        service.Services.GetRequiredService<AlertDeliverySignal>().Pulse();

        // The fake clock never moves: only the pulse can have woken the worker.
        bool Sent() => service.Logs.Records.Any(r => r.Message.StartsWith("alert delivery 1 sent to slack", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Sent() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Sent());
        Assert.Contains("[WARNING] error_rate on lead-scoring/v1", Assert.Single(slack.Requests).Body, StringComparison.Ordinal);
        DeliveryServices.AssertNoSecret(string.Join('\n', service.Logs.Records.Select(r => r.Message + string.Join(' ', r.State.Select(s => s.Value)))));
    }
}
