using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Serving;

public sealed class ArmCountersTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_are_kept_per_deployment_arm_and_minute_and_a_drain_takes_them()
    {
        var clock = new FakeTimeProvider(Noon.AddSeconds(10));
        var counters = new ArmCounters(clock);
        counters.Record(1, ServingArm.Champion, 300);
        counters.Record(1, ServingArm.Champion, 5000);
        counters.Record(1, ServingArm.Challenger, 400, error: true);
        counters.Record(2, ServingArm.Shadow, 800);
        clock.Advance(TimeSpan.FromMinutes(1));
        counters.Record(1, ServingArm.Champion, 300);

        var rows = counters.Drain();

        Assert.Equal(
            ["1 champion 12:00 2/0", "1 challenger 12:00 1/1", "2 shadow 12:00 1/0", "1 champion 12:01 1/0"],
            rows.OrderBy(r => r.Minute).ThenBy(r => r.DeploymentId).ThenBy(r => r.Arm != "champion").Select(r => $"{r.DeploymentId} {r.Arm} {r.Minute:HH:mm} {r.Requests}/{r.Errors}"));
        var champion = new LatencyHistogram(rows.Single(r => r.Arm == "champion" && r.Minute == Noon).LatencyBuckets);
        Assert.Equal(2, champion.Count);
        Assert.InRange(champion.Quantile(1)!.Value, 5000 / LatencyHistogram.BucketRatio, 5000 * LatencyHistogram.BucketRatio);
        Assert.Empty(counters.Drain());
    }

    [Fact]
    public async Task Counting_from_many_threads_while_draining_loses_and_doubles_nothing()
    {
        var counters = new ArmCounters(new FakeTimeProvider(Noon));
        var drained = new List<ArmMinuteCount>();
        using var done = new CancellationTokenSource();
        var drainer = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                drained.AddRange(counters.Drain());
            }
        });

        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                counters.Record(9, (ServingArm)(i % 2), i % 1000, error: i % 10 == 0);
            }
        });
        await done.CancelAsync();
        await drainer;
        drained.AddRange(counters.Drain());

        Assert.Equal(200_000, drained.Sum(r => r.Requests));
        Assert.Equal(20_000, drained.Sum(r => r.Errors));
        Assert.Equal(200_000, drained.Sum(r => r.LatencyBuckets.Sum()));
    }

    [Fact]
    public void Restored_rows_come_back_in_the_next_drain()
    {
        var counters = new ArmCounters(new FakeTimeProvider(Noon));
        counters.Record(3, ServingArm.Challenger, 250, error: true);
        var first = counters.Drain();

        counters.Restore(first);
        counters.Record(3, ServingArm.Challenger, 250);
        var again = Assert.Single(counters.Drain());

        Assert.Equal((2L, 1L, 2L), (again.Requests, again.Errors, again.LatencyBuckets.Sum()));
    }
}
