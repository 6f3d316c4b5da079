using System.Net;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Serving;

/// <summary>The registry poll waits on the host's clock, so scheduled work is tested by moving a fake clock, not by sleeping.</summary>
[Collection(ServerCollection.Name)]
public sealed class RegistryPollClockTests(TestPackages packages)
{
    [Fact]
    public async Task A_promotion_made_elsewhere_is_picked_up_when_the_hosts_clock_reaches_the_next_poll()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var service = await RunningService.StartAsync(
            new Dictionary<string, string?> { ["LeadScoring:Serving:RegistryPollInterval"] = "01:00:00" },
            clock: clock);
        var version = await service.RegisterAsync(packages.First);

        // Promoted straight in the store (as another instance or the CLI would), so only the poll can notice.
        await service.Registry.TransitionAsync(RunningService.ModelName, version, ModelStage.Production, "cli:test", null);
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        using (var before = await service.Client.GetAsync("/model"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        }

        // An hour of fake time; advanced in steps until served, since the loop may still be arming its timer.
        var serving = Task.Run(() => service.WaitUntilServingAsync(version));
        while (!serving.IsCompleted)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System));
        }

        await serving;

        // The store stamps its audit entries with the same clock.
        var audit = await service.Registry.GetAuditLogAsync(RunningService.ModelName, 10);
        Assert.All(audit, entry => Assert.InRange(entry.At, clock.Start, clock.GetUtcNow()));
    }
}
