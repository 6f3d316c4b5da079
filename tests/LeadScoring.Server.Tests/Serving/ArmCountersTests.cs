using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Serving;

public sealed class ArmCountersTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_are_kept_per_deployment_arm_and_minute_and_a_collection_gives_the_changed_ones()
    {
        var clock = new FakeTimeProvider(Noon.AddSeconds(10));
        var counters = new ArmCounters(clock);
        counters.Record(1, ServingArm.Champion, 300);
        counters.Record(1, ServingArm.Champion, 5000);
        counters.Record(1, ServingArm.Challenger, 400, error: true);
        counters.Record(2, ServingArm.Shadow, 800);
        clock.Advance(TimeSpan.FromMinutes(1));
        counters.Record(1, ServingArm.Champion, 300);

        var rows = counters.CollectChanged();

        Assert.Equal(
            ["1 champion 12:00 2/0", "1 challenger 12:00 1/1", "2 shadow 12:00 1/0", "1 champion 12:01 1/0"],
            rows.OrderBy(r => r.Minute).ThenBy(r => r.DeploymentId).ThenBy(r => r.Arm != "champion").Select(r => $"{r.DeploymentId} {r.Arm} {r.Minute:HH:mm} {r.Requests}/{r.Errors}"));
        var champion = new LatencyHistogram(rows.Single(r => r.Arm == "champion" && r.Minute == Noon).LatencyBuckets);
        Assert.Equal(2, champion.Count);
        Assert.InRange(champion.Quantile(1)!.Value, 5000 / LatencyHistogram.BucketRatio, 5000 * LatencyHistogram.BucketRatio);
        Assert.Empty(counters.CollectChanged());
    }

    [Fact]
    public async Task Counting_from_many_threads_while_collecting_ends_with_the_exact_totals_and_never_more_errors_than_requests()
    {
        var counters = new ArmCounters(new FakeTimeProvider(Noon));
        // What the store keeps: the last total sent per cell (a replace).
        var stored = new Dictionary<(long, string, DateTimeOffset), ArmMinuteCount>();
        using var done = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (var row in counters.CollectChanged())
                {
                    Assert.True(row.Errors <= row.Requests);
                    stored[(row.DeploymentId, row.Arm, row.Minute)] = row;
                }
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
        await collector;
        foreach (var row in counters.CollectChanged())
        {
            stored[(row.DeploymentId, row.Arm, row.Minute)] = row;
        }

        Assert.Equal(200_000, stored.Values.Sum(r => r.Requests));
        Assert.Equal(20_000, stored.Values.Sum(r => r.Errors));
        Assert.Equal(200_000, stored.Values.Sum(r => r.LatencyBuckets.Sum()));
        Assert.Empty(counters.CollectChanged());
    }

    [Fact]
    public void A_minute_whose_write_failed_comes_back_with_its_total_and_an_old_flushed_minute_is_forgotten()
    {
        var clock = new FakeTimeProvider(Noon);
        var counters = new ArmCounters(clock);
        counters.Record(3, ServingArm.Challenger, 250, error: true);
        var first = counters.CollectChanged();

        counters.MarkUnflushed(first);
        counters.Record(3, ServingArm.Challenger, 250);
        var again = Assert.Single(counters.CollectChanged());
        Assert.Equal((2L, 1L, 2L), (again.Requests, again.Errors, again.LatencyBuckets.Sum()));

        // Two minutes on, the flushed minute is dropped: a new count there would start from zero.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(counters.CollectChanged());
        counters.MarkUnflushed(first);
        Assert.Empty(counters.CollectChanged());
    }
}
