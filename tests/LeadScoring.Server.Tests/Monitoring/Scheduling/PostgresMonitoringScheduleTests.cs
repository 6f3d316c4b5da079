using LeadScoring.Application.Monitoring;
using LeadScoring.Server.Monitoring.Scheduling;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Xunit.Abstractions;

namespace LeadScoring.Server.Tests.Monitoring.Scheduling;

/// <summary>Two replicas on one PostgreSQL database run one clustered scheduler: every firing runs once, on one of them.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresMonitoringScheduleTests(PostgresTestCluster cluster, ITestOutputHelper output)
{
    // Real time: the replicas' schedulers and the cluster's check-ins run on the system clock, as in production.
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Two_replicas_run_each_firing_of_an_every_second_schedule_exactly_once_between_them()
    {
        var database = await cluster.CreateDatabaseAsync("schedules");
        try
        {
            var first = new RecordingMonitoring("first");
            var second = new RecordingMonitoring("second") { Calls = first.Calls };
            DateTimeOffset started, stopped;
            await using (var one = await StartAsync(database, first))
            await using (var two = await StartAsync(database, second))
            {
                var scheduler = await one.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
                Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
                started = DateTimeOffset.UtcNow;
                await Task.Delay(RunFor);
                stopped = DateTimeOffset.UtcNow;
                await one.StopAsync();
                await two.StopAsync();
            }

            var calls = first.Calls.ToList();
            output.WriteLine($"{calls.Count} runs in {RunFor.TotalSeconds} s: " + string.Join(", ", calls.GroupBy(c => c.Host).Select(g => $"{g.Key} {g.Count()}")));
            Assert.All(calls, c => Assert.Equal(MonitoringRunKinds.Hourly, c.Kind));
            var repeated = calls.GroupBy(c => c.ScheduledAt).Where(g => g.Count() > 1).Select(g => $"{g.Key:O} on {string.Join(" and ", g.Select(c => c.Host))}").ToList();
            Assert.True(repeated.Count == 0, "run more than once: " + string.Join("; ", repeated));
            // Every whole second while both ran was due once; none may be missing (the firings are a second apart).
            var due = Enumerable.Range(1, (int)RunFor.TotalSeconds - 1).Select(s => TruncateToSecond(started).AddSeconds(s)).Where(t => t < stopped).ToList();
            Assert.All(due, t => Assert.Contains(calls, c => c.ScheduledAt == t));

            // The cluster's two nodes checked in to the shared database.
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM qrtz_scheduler_state WHERE sched_name = @name", connection);
            command.Parameters.AddWithValue("name", MonitoringScheduleServices.SchedulerName);
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DropDatabaseAsync(database);
        }
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static Task<RunningService> StartAsync(string database, IScheduledMonitoring monitoring) =>
        RunningService.StartAsync(
            new Dictionary<string, string?>
            {
                [$"{MonitoringScheduleOptions.SectionName}:Enabled"] = "true",
                [$"{MonitoringScheduleOptions.SectionName}:Hourly"] = "* * * * * ?",
                [$"{MonitoringScheduleOptions.SectionName}:Daily"] = "",
                [$"{MonitoringScheduleOptions.SectionName}:Weekly"] = "",
            },
            postgres: database,
            services: s => s.AddSingleton(monitoring));
}
