using LeadScoring.Server.Alerting;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.EndToEnd;

/// <summary>Reads a running service's alerts, waiting for the evaluator where needed.</summary>
internal static class AlertWatch
{
    /// <summary>Every alert, newest first.</summary>
    public static async Task<IReadOnlyList<Alert>> AllAsync(RunningService service)
    {
        var store = service.Services.GetRequiredService<AlertStore>();
        return (await store.ListAlertsAsync(new AlertFilter(), pageSize: AlertStore.MaxPageSize)).Alerts;
    }

    /// <summary>
    /// Waits (real time, 30 s at most) for an alert matching <paramref name="match"/>. With <paramref name="clock"/>, moves
    /// it a minute at a time meanwhile, as the evaluator runs once a minute on the host's clock.
    /// </summary>
    public static async Task<Alert> EventuallyAsync(RunningService service, Func<Alert, bool> match, FakeTimeProvider? clock = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var alerts = await AllAsync(service);
            if (alerts.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no such alert within 30 s; alerts: {string.Join("; ", alerts.Select(a => $"{a.Rule} {a.Subject} {a.Level} {a.State}"))}");
            if (clock is not null)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits (real time, 30 s at most) until <paramref name="done"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(50);
        }
    }
}
