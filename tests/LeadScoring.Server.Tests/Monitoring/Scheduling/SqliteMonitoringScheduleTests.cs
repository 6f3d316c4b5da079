using LeadScoring.Application.Monitoring;
using LeadScoring.Server.Monitoring.Scheduling;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace LeadScoring.Server.Tests.Monitoring.Scheduling;

/// <summary>The monitoring scheduler on the SQLite default: validated schedules, jobs that fire on the host's clock, and a job store that outlives the process.</summary>
public sealed class SqliteMonitoringScheduleTests : IAsyncLifetime
{
    // Two seconds before the default hourly check (five past the hour).
    private static readonly DateTimeOffset JustBefore = new(2026, 3, 2, 10, 4, 58, TimeSpan.Zero);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("leadscoring-schedule-test-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("Hourly", "0 5 * * *")]
    [InlineData("Daily", "0 61 0 * * ?")]
    [InlineData("Weekly", "every monday")]
    public async Task An_invalid_cron_expression_stops_the_service_at_start_naming_its_key(string key, string cron)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new RecordingMonitoring(), new FakeTimeProvider(JustBefore), (key, cron)));

        Assert.Contains($"LeadScoring:Monitoring:Schedules:{key} is not a Quartz cron expression", error.Message);
        Assert.Contains(cron, error.Message);
    }

    [Fact]
    public async Task The_hourly_check_fires_on_the_host_clock_with_its_kind_and_scheduled_time()
    {
        var clock = new FakeTimeProvider(JustBefore);
        var monitoring = new RecordingMonitoring();
        await using var service = await StartAsync(monitoring, clock);

        // Nothing is due yet; the fake clock, not real time, decides when the check is.
        await Task.Delay(500);
        Assert.Empty(monitoring.Calls);

        clock.Advance(TimeSpan.FromSeconds(3));
        await monitoring.WaitForAsync(calls => calls.Count >= 1, "the hourly check at 10:05");

        Assert.Equal([(MonitoringRunKinds.Hourly, JustBefore.AddSeconds(2), "")], monitoring.Calls);
    }

    [Fact]
    public async Task The_defaults_schedule_every_kind_in_UTC_and_an_emptied_kind_is_not_scheduled()
    {
        var clock = new FakeTimeProvider(JustBefore);
        await using var service = await StartAsync(new RecordingMonitoring(), clock, ("Daily", ""));

        var scheduler = await service.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var hourly = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Hourly)));
        var weekly = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Weekly)));
        Assert.Null(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Daily)));
        Assert.Null(await scheduler.GetJobDetail(MonitoringScheduleDeclaration.JobKeyOf(MonitoringRunKinds.Daily)));

        Assert.Equal(TimeZoneInfo.Utc.Id, hourly.TimeZone.Id);
        Assert.Equal(JustBefore.AddSeconds(2), hourly.NextFireTimeUtc);
        // 2 March 2026 is a Monday: the weekly report is due at 00:30 on the next one.
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 0, 30, 0, TimeSpan.Zero), weekly.NextFireTimeUtc);
    }

    [Fact]
    public async Task Turned_off_the_service_registers_no_scheduler()
    {
        await using var service = await RunningService.StartAsync(Settings(("Enabled", "false")), services: s => s.AddSingleton<IScheduledMonitoring>(new RecordingMonitoring()));

        Assert.Null(service.Services.GetService<ISchedulerFactory>());
        Assert.False(File.Exists(Path.Combine(_dataDirectory, SchedulerStoreFactory.SqliteFileName)));
    }

    [Fact]
    public async Task The_schedule_survives_a_restart_and_a_check_missed_while_down_runs_once_not_once_per_missed_hour()
    {
        var clock = new FakeTimeProvider(JustBefore);
        var before = new RecordingMonitoring("before");
        await using (var first = await StartAsync(before, clock))
        {
            clock.Advance(TimeSpan.FromSeconds(3));
            await before.WaitForAsync(calls => calls.Count >= 1, "the 10:05 check");
            await first.StopAsync();
        }

        // The stored trigger, as the next start finds it: fired at 10:05, next due at 11:05.
        Assert.True(File.Exists(Path.Combine(_dataDirectory, SchedulerStoreFactory.SqliteFileName)));
        Assert.Equal((JustBefore.AddSeconds(2), JustBefore.AddSeconds(2).AddHours(1)), await ReadStoredHourlyAsync());

        // Down for three hours: 11:05, 12:05 and 13:05 passed unrun.
        clock.Advance(TimeSpan.FromHours(3));
        var after = new RecordingMonitoring("after");
        await using var second = await StartAsync(after, clock);
        await after.WaitForAsync(calls => calls.Count >= 1, "the missed check, after the restart");
        await Task.Delay(1000);

        var missed = Assert.Single(after.Calls);
        // Quartz reports the firing it recovers as due when the first missed one was (11:05), then proceeds: next 14:05.
        Assert.Equal(JustBefore.AddSeconds(2).AddHours(1), missed.ScheduledAt);
        Assert.Equal(JustBefore.AddSeconds(2).AddHours(4), (await ReadStoredHourlyAsync()).Next);
        Assert.Equal(MonitoringRunKinds.Hourly, missed.Kind);
        Assert.Contains(second.Logs.Records, r => r.Message.StartsWith("Monitoring check hourly keeps its stored schedule", StringComparison.Ordinal));
        Assert.Single(before.Calls);
    }

    [Fact]
    public async Task A_restart_with_a_changed_schedule_replaces_the_stored_trigger_and_one_turned_off_loses_its_job()
    {
        var clock = new FakeTimeProvider(JustBefore);
        await using (var first = await StartAsync(new RecordingMonitoring(), clock))
        {
            await first.StopAsync();
        }

        await using var second = await StartAsync(new RecordingMonitoring(), clock, ("Hourly", "0 20 * * * ?"), ("Weekly", " "));

        var scheduler = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var hourly = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Hourly)));
        Assert.Equal("0 20 * * * ?", hourly.CronExpressionString);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 20, 0, TimeSpan.Zero), hourly.NextFireTimeUtc);
        Assert.Null(await scheduler.GetJobDetail(MonitoringScheduleDeclaration.JobKeyOf(MonitoringRunKinds.Weekly)));
        Assert.Null(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Weekly)));
        Assert.NotNull(await scheduler.GetTrigger(MonitoringScheduleDeclaration.TriggerKeyOf(MonitoringRunKinds.Daily)));
        Assert.Contains(second.Logs.Records, r => r.Message == "Monitoring check weekly is turned off; its stored job and trigger were removed");
    }

    [Fact]
    public async Task Without_an_implementation_registered_a_firing_is_logged_and_skipped()
    {
        var clock = new FakeTimeProvider(JustBefore);
        // Whatever the Application registers, taken out: a host without one must still start and run its schedule.
        await using var service = await RunningService.StartAsync(Settings(("Enabled", "true")), clock: clock, services: s => s.RemoveAll<IScheduledMonitoring>());
        Assert.Null(service.Services.GetService<IScheduledMonitoring>());

        clock.Advance(TimeSpan.FromSeconds(3));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!service.Logs.Records.Any(r => r.Message.Contains("skipped: no IScheduledMonitoring is registered", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(service.Logs.Records, r => r.Message == "Monitoring check hourly due at 2026-03-02T10:05:00.0000000+00:00 skipped: no IScheduledMonitoring is registered");
    }

    private async Task<(DateTimeOffset Previous, DateTimeOffset Next)> ReadStoredHourlyAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, SchedulerStoreFactory.SqliteFileName)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT prev_fire_time, next_fire_time FROM qrtz_triggers WHERE trigger_name = 'hourly' AND trigger_group = 'monitoring'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no stored hourly trigger");
        return (FromTicks(reader.GetInt64(0)), FromTicks(reader.GetInt64(1)));

        static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
    }

    private Task<RunningService> StartAsync(IScheduledMonitoring monitoring, TimeProvider clock, params (string Key, string Value)[] schedules) =>
        RunningService.StartAsync(Settings([("Enabled", "true"), .. schedules]), clock: clock, services: s => s.AddSingleton(monitoring));

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] schedules)
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _dataDirectory };
        foreach (var (key, value) in schedules)
        {
            settings[$"{MonitoringScheduleOptions.SectionName}:{key}"] = value;
        }

        return settings;
    }
}
