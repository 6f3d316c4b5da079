using System.Collections.Concurrent;
using LeadScoring.Application.Monitoring;

namespace LeadScoring.Server.Tests.Monitoring.Scheduling;

/// <summary>Stands in for the monitoring runs: records every call (kind, scheduled time, which host) and does nothing else.</summary>
public sealed class RecordingMonitoring(string host = "") : IScheduledMonitoring
{
    /// <summary>Every call, in the order they started; shared between hosts when one instance is given to several.</summary>
    public ConcurrentQueue<(string Kind, DateTimeOffset ScheduledAt, string Host)> Calls { get; init; } = new();

    public string Host { get; } = host;

    public Task RunAsync(string kind, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        Calls.Enqueue((kind, scheduledAt, Host));
        return Task.CompletedTask;
    }

    /// <summary>Waits (up to <paramref name="timeout"/>, real time) until <paramref name="done"/> holds for the calls.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<(string Kind, DateTimeOffset ScheduledAt, string Host)>, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (done([.. Calls]))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"{what}: not within the time allowed; calls: {string.Join(", ", Calls.Select(c => $"{c.Kind}@{c.ScheduledAt:O}"))}");
    }
}
