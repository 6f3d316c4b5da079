using LeadScoring.Storage;
using LeadScoring.Storage.Scheduling;
using Microsoft.Extensions.Options;
using Quartz;

namespace LeadScoring.Server.Monitoring.Scheduling;

/// <summary>Registers the monitoring scheduler: Quartz.NET on a persistent job store, one cron-triggered job per check kind.</summary>
public static class MonitoringScheduleServices
{
    /// <summary>The Quartz scheduler's name, shared by every replica of a cluster (rows in the qrtz_ tables carry it).</summary>
    public const string SchedulerName = "leadscoring-monitoring";

    /// <summary>
    /// Binds and validates <see cref="MonitoringScheduleOptions"/>; when enabled, adds Quartz with its ADO job store
    /// (PostgreSQL: the shared database, clustered, so each firing runs on one replica; SQLite: <c>scheduler.db</c> in
    /// the data directory, one node), the store's migration, and a start-up step that declares the jobs from
    /// configuration before the scheduler starts.
    /// </summary>
    public static WebApplicationBuilder AddMonitoringSchedules(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<MonitoringScheduleOptions, MonitoringScheduleOptionsValidator>(MonitoringScheduleOptions.SectionName);

        // Read now, since Quartz's store is configured at registration; the options above validate the same values at start.
        var schedules = builder.Configuration.GetSection(MonitoringScheduleOptions.SectionName).Get<MonitoringScheduleOptions>() ?? new MonitoringScheduleOptions();
        if (!schedules.Enabled)
        {
            return builder;
        }

        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(sp => SchedulerStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<MonitoringJob>();
        // Before Quartz's hosted service, so the tables exist and the jobs are declared when the scheduler starts.
        services.AddHostedService<MonitoringScheduleDeclaration>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = SchedulerName);
            q.UsePersistentStore(store =>
            {
                var connectionString = SchedulerStoreFactory.ConnectionStringFor(storage);
                if (storage.UsesPostgres)
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(connectionString);
                }
            });
        });
        // Waits for a running check on shutdown: a check is bounded (seconds), and a half-written run helps nobody.
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}

/// <summary>
/// At start, before the scheduler runs: migrates the job store's tables, then makes the stored jobs match the
/// configuration: a configured kind gets its job (replaced, so a changed job data applies) and its cron trigger
/// (replaced only when the expression changed, so a trigger that missed firings while the service was down keeps
/// its misfire and fires once); a kind turned off loses its job and trigger.
/// </summary>
internal sealed partial class MonitoringScheduleDeclaration(
    SchedulerStore store,
    ISchedulerFactory schedulers,
    IOptions<MonitoringScheduleOptions> options,
    TimeProvider time,
    ILogger<MonitoringScheduleDeclaration> logger) : IHostedService
{
    /// <summary>The job group of the monitoring jobs; a kind's job and trigger are named after it.</summary>
    public const string Group = "monitoring";

    public static JobKey JobKeyOf(string kind) => new(kind, Group);

    public static TriggerKey TriggerKeyOf(string kind) => new(kind, Group);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var (kind, cron) in options.Value.Schedules)
        {
            if (cron is null)
            {
                if (await scheduler.DeleteJob(JobKeyOf(kind), cancellationToken).ConfigureAwait(false))
                {
                    LogRemoved(kind);
                }

                continue;
            }

            var job = JobBuilder.Create<MonitoringJob>()
                .WithIdentity(JobKeyOf(kind))
                .WithDescription($"The {kind} monitoring check")
                .UsingJobData(MonitoringJob.KindKey, kind)
                .StoreDurably()
                .Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);

            var existing = await scheduler.GetTrigger(TriggerKeyOf(kind), cancellationToken).ConfigureAwait(false) as ICronTrigger;
            if (existing is not null && existing.CronExpressionString == cron && existing.TimeZone.Id == TimeZoneInfo.Utc.Id)
            {
                LogKept(kind, cron, existing.NextFireTimeUtc);
                continue;
            }

            // On the host's clock (the scheduler runs on it too), not the builder's default of the system's.
            var trigger = TriggerBuilder.Create(time)
                .WithIdentity(TriggerKeyOf(kind))
                .ForJob(job)
                .StartNow()
                .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
            LogScheduled(kind, cron);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring check {Kind} scheduled: {Cron} (UTC)")]
    private partial void LogScheduled(string kind, string cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring check {Kind} keeps its stored schedule {Cron} (UTC); next due {Next:O}")]
    private partial void LogKept(string kind, string cron, DateTimeOffset? next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring check {Kind} is turned off; its stored job and trigger were removed")]
    private partial void LogRemoved(string kind);
}
