using System.Globalization;
using System.Net;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>The daily retention run, driven by moving the host's fake clock (no waiting for real days).</summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_day_on_the_hosts_clock_runs_retention_which_deletes_predictions_older_than_retention_days_and_keeps_the_rest()
    {
        var clock = new FakeTimeProvider(Start);
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Predictions:RetentionDays"] = "30" }, clock: clock);
        var log = service.Services.GetRequiredService<PredictionLog>();
        var retention = service.Services.GetRequiredService<PredictionRetentionService>();
        // Scored 40, 31, 29 and 1 days before the run (the run is at 03:00 the next day, a day after Start at the latest).
        await log.AppendAsync([Record("old-1", Start.AddDays(-39)), Record("old-2", Start.AddDays(-30)), Record("kept-1", Start.AddDays(-28)), Record("kept-2", Start)]);

        var nextRun = await WaitForScheduleAsync(retention, null);
        clock.Advance(TimeSpan.FromHours(17));
        var beforeTheRun = retention.LastRun;
        clock.Advance(TimeSpan.FromHours(1));
        var run = await WaitForRunAsync(retention, null);

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero), nextRun);
        Assert.Null(beforeTheRun);
        Assert.Equal(new RetentionRun(nextRun, nextRun.AddDays(-30), 2, null), run);
        Assert.Equal(["kept-1", "kept-2"], (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.LeadId));
        Assert.Equal(nextRun.AddDays(1), await WaitForScheduleAsync(retention, nextRun));
        Assert.Contains(service.Logs.Records, r => r.Level == LogLevel.Information && r.Message.StartsWith("prediction log retention: deleted 2 predictions older than 30 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_run_is_logged_the_service_keeps_serving_and_the_next_day_runs_again()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        var clock = new FakeTimeProvider(Start);
        await using var service = await RunningService.StartAsync(
            new Dictionary<string, string?> { ["Storage:DataDirectory"] = disk.Path, ["LeadScoring:Predictions:RetentionDays"] = "30" },
            clock: clock);
        var log = service.Services.GetRequiredService<PredictionLog>();
        var retention = service.Services.GetRequiredService<PredictionRetentionService>();
        await log.AppendAsync([Record("old-1", Start.AddDays(-40)), Record("kept-1", Start)]);

        var firstRun = await WaitForScheduleAsync(retention, null);
        disk.RemountReadOnly();
        clock.Advance(firstRun - clock.GetUtcNow());
        var failed = await WaitForRunAsync(retention, null);
        using var live = await service.Client.GetAsync("/health/live");
        disk.RemountReadWrite();
        var secondRun = await WaitForScheduleAsync(retention, firstRun);
        clock.Advance(secondRun - clock.GetUtcNow());
        var succeeded = await WaitForRunAsync(retention, failed);

        Assert.Null(failed.Deleted);
        Assert.NotNull(failed.Error);
        Assert.Contains(service.Logs.Records, r => r.Level == LogLevel.Error && r.Message.StartsWith("prediction log retention failed", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(firstRun.AddDays(1), secondRun);
        Assert.Equal(new RetentionRun(secondRun, secondRun.AddDays(-30), 1, null), succeeded);
        Assert.Equal(["kept-1"], (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.LeadId));
    }

    [Theory]
    [InlineData("2026-12-01T02:59:59Z", "03:00:00", "2026-12-01T03:00:00Z")]
    [InlineData("2026-12-01T03:00:00Z", "03:00:00", "2026-12-02T03:00:00Z")]
    [InlineData("2026-12-31T23:30:00+05:00", "00:00:00", "2027-01-01T00:00:00Z")]
    public void The_next_run_is_the_first_time_of_day_in_utc_strictly_after_now(string now, string timeOfDay, string expected) =>
        Assert.Equal(
            DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture),
            PredictionRetentionService.NextRun(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), TimeSpan.Parse(timeOfDay, CultureInfo.InvariantCulture)));

    private static PredictionRecord Record(string lead, DateTimeOffset at) =>
        new($"req-{lead}", lead, at, "lead-scoring", 1, ServingArms.Champion, 0.5, "warm", 10, "{}");

    /// <summary>Waits (real time) until the service is waiting for a run other than <paramref name="previous"/>; its due time.</summary>
    private static async Task<DateTimeOffset> WaitForScheduleAsync(PredictionRetentionService retention, DateTimeOffset? previous)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (retention.NextRunAt is { } next && next != previous)
            {
                return next;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the retention service did not schedule its run within 30 s");
    }

    private static async Task<RetentionRun> WaitForRunAsync(PredictionRetentionService retention, RetentionRun? previous)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (retention.LastRun is { } run && !ReferenceEquals(run, previous))
            {
                return run;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the retention run did not finish within 30 s");
    }
}
