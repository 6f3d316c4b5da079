using System.Net;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>
/// When the writer cannot keep up, requests wait for room up to MaxQueueWait and then get a 503 with Retry-After;
/// nothing is dropped silently: every 200 is in the log, and no refused request is.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BackPressureTests(TestPackages packages)
{
    [Fact]
    public async Task A_writer_blocked_on_a_locked_log_fills_the_queue_then_requests_get_503_with_retry_after_and_every_200_is_committed()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["LeadScoring:Predictions:QueueCapacity"] = "4",
            ["LeadScoring:Predictions:MaxBatchSize"] = "2",
            ["LeadScoring:Predictions:MaxQueueWait"] = "00:00:00.300",
        });
        await service.DeployAsync(packages.First);
        var (first, _, firstResponse) = await LoggedPredictions.ScoreAsync(service.Client, "bp-first", "req-bp-first");
        firstResponse.Dispose();

        // Another process holds the log's write lock: the writer's next transaction waits for it.
        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(service.Storage.DataDirectory, PredictionLogFactory.SqliteFileName)}");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var requests = Enumerable.Range(0, 12).Select(i => LoggedPredictions.ScoreAsync(service.Client, $"bp-{i}", $"req-bp-{i}")).ToList();
        // 4 records fit (the one being written counts until it commits); the other 8 wait 0.3 s and are refused.
        var refused = new List<(HttpStatusCode Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)>();
        var pending = requests.ToList();
        while (refused.Count < 8)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            refused.Add(await done);
        }

        var whileBlocked = await LoggedPredictions.ReadinessAsync(service);
        await using (var commit = blocker.CreateCommand())
        {
            commit.CommandText = "ROLLBACK";
            await commit.ExecuteNonQueryAsync();
        }

        var accepted = await Task.WhenAll(pending);
        var logged = (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.RequestId).ToList();
        var afterwards = await LoggedPredictions.ReadinessAsync(service);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            Assert.Equal("Prediction log busy", r.Body.GetProperty("title").GetString());
            Assert.StartsWith("The prediction log's queue (4 records) had no room within 0.3 s", r.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), r.Response.Headers.RetryAfter?.Delta);
        });
        Assert.All(accepted, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(4, accepted.Length);
        Assert.Equal(["req-bp-first", .. accepted.Select(a => a.Body.GetProperty("request_id").GetString()!).Order()], [logged[0], .. logged.Skip(1).Order()]);
        Assert.StartsWith("prediction log writable; queue 4 of 4 records", whileBlocked.Description, StringComparison.Ordinal);
        Assert.Equal(("Healthy", "prediction log writable; queue 0 of 4 records; no scores served unlogged"), afterwards);
        foreach (var r in refused.Concat(accepted))
        {
            r.Response.Dispose();
        }
    }

    [Fact]
    public async Task The_queue_counts_records_admits_waiters_first_come_first_served_and_refuses_them_when_the_hosts_clock_passes_the_wait()
    {
        var clock = new FakeTimeProvider();
        var queue = new PredictionQueue(Options.Create(new PredictionLoggingOptions { QueueCapacity = 10, MaxQueueWait = TimeSpan.FromSeconds(2) }), clock);

        var six = Unit(6);
        var five = Unit(5);
        var one = Unit(1);
        Assert.True(await queue.EnqueueAsync(six));
        var fiveWaits = queue.EnqueueAsync(five).AsTask();
        // Room for it, but it does not pass the unit waiting before it.
        var oneWaits = queue.EnqueueAsync(one).AsTask();
        Assert.Equal(6, queue.Depth);
        Assert.False(fiveWaits.IsCompleted);
        Assert.False(oneWaits.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(fiveWaits.IsCompleted);
        queue.Release(6); // the batch holding the first unit ended
        Assert.True(await fiveWaits);
        Assert.True(await oneWaits);
        Assert.Equal(6, queue.Depth);

        var big = queue.EnqueueAsync(Unit(7)).AsTask();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await big);
        Assert.Equal(6, queue.Depth);

        // Larger than the whole queue: admitted once the queue is empty, taking all of it.
        var huge = queue.EnqueueAsync(Unit(25)).AsTask();
        queue.Release(6);
        Assert.True(await huge);
        Assert.Equal(10, queue.Depth);

        var closed = queue.EnqueueAsync(Unit(1)).AsTask();
        queue.Close();
        Assert.False(await closed);
        Assert.False(await queue.EnqueueAsync(Unit(1)));
        Assert.Equal([six, five, one], ReadAll(queue).Take(3));
    }

    [Fact]
    public async Task A_detached_row_is_queued_without_waiting_only_while_the_room_kept_for_requests_stays_free()
    {
        var clock = new FakeTimeProvider();
        var queue = new PredictionQueue(Options.Create(new PredictionLoggingOptions { QueueCapacity = 10, MaxQueueWait = TimeSpan.FromSeconds(2) }), clock);

        Assert.True(queue.TryEnqueue(Unit(1), keepFree: 5));
        Assert.True(await queue.EnqueueAsync(Unit(4)));
        // 5 free: one more would leave 4, less than the 5 kept for requests.
        Assert.False(queue.TryEnqueue(Unit(1), keepFree: 5));
        Assert.Equal(5, queue.Depth);

        // A request waiting for room is never passed by a detached row.
        var waiting = queue.EnqueueAsync(Unit(6)).AsTask();
        Assert.False(queue.TryEnqueue(Unit(1), keepFree: 0));
        queue.Release(5);
        Assert.True(await waiting);

        queue.Close();
        Assert.False(queue.TryEnqueue(Unit(1), keepFree: 0));
        Assert.Equal([1, 4, 6], ReadAll(queue).Select(u => u.Records.Length));
    }

    private static PendingPredictions Unit(int records) => new(
        Enumerable.Range(0, records).Select(i => new PredictionRecord("r", $"l{i}", DateTimeOffset.UnixEpoch, "m", 1, ServingArms.Champion, 0.5, "warm", 1, "{}")).ToArray());

    private static List<PendingPredictions> ReadAll(PredictionQueue queue)
    {
        var units = new List<PendingPredictions>();
        while (queue.Reader.TryRead(out var unit))
        {
            units.Add(unit);
        }

        return units;
    }
}
