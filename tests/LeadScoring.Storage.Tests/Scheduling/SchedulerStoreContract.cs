using System.Data;
using LeadScoring.Storage.Scheduling;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Scheduling;

/// <summary>What the scheduler's schema component guarantees on both databases: every table Quartz's job store reads, made once, in types its parameters fit.</summary>
public abstract class SchedulerStoreContract : StoreContract<SchedulerStore>
{
    /// <summary>Every table of Quartz.NET 4.7's schema (QRTZ_ prefix), history tables included.</summary>
    public static readonly IReadOnlyList<string> QuartzTables =
    [
        "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers",
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps", "qrtz_fired_triggers",
        "qrtz_scheduler_state", "qrtz_locks", "qrtz_execution_history", "qrtz_misfire_history", "qrtz_job_status",
    ];

    private protected override SchedulerStore OpenStore(SqlDatabase database) => new(database, "unused by these tests");

    private static Task<long?> CountAsync(SchedulerStore store, string sql) =>
        store.Database.ReadAsync((session, ct) => session.ScalarInt64Async(sql, [], ct), CancellationToken.None);

    [Fact]
    public async Task Migrating_creates_every_Quartz_table_empty_at_version_1()
    {
        Assert.Equal(1, await Store.GetSchemaVersionAsync());

        foreach (var table in QuartzTables)
        {
            Assert.Equal(0, await CountAsync(Store, $"SELECT COUNT(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task Replicas_starting_together_create_the_schema_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureSchemaAsync())));

        Assert.Equal(1, await CountAsync(Store, $"SELECT COUNT(*) FROM schema_versions WHERE component = '{SchedulerSchema.Component}'"));
        Assert.Equal(1, await Store.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task A_cron_trigger_stored_as_Quartz_stores_it_goes_with_its_trigger()
    {
        await Store.EnsureSchemaAsync();

        // The columns Quartz binds as bool and byte[] take those parameters on both databases.
        await Store.Database.WriteAsync(
            async (session, ct) =>
            {
                await session.ExecuteAsync(
                    """
                    INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery, job_data)
                    VALUES ('s', 'hourly', 'monitoring', 'MonitoringJob', @yes, @yes, @no, @no, @data)
                    """,
                    [Bool("@yes", true), Bool("@no", false), SqlArg.Bytes("@data", [1, 2, 3])],
                    ct);
                await session.ExecuteAsync(
                    """
                    INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, trigger_state, trigger_type, start_time, misfire_instr)
                    VALUES ('s', 'hourly', 'monitoring', 'hourly', 'monitoring', @next, 'WAITING', 'CRON', @start, 1)
                    """,
                    [SqlArg.Long("@next", 639_000_000_000_000_000), SqlArg.Long("@start", 638_999_999_000_000_000)],
                    ct);
                return await session.ExecuteAsync(
                    "INSERT INTO qrtz_cron_triggers (sched_name, trigger_name, trigger_group, cron_expression, time_zone_id) VALUES ('s', 'hourly', 'monitoring', '0 5 * * * ?', 'UTC')",
                    [],
                    ct);
            },
            onUniqueViolation: null,
            CancellationToken.None);
        Assert.Equal(1, await CountAsync(Store, "SELECT COUNT(*) FROM qrtz_job_details WHERE is_durable AND NOT is_update_data"));
        Assert.Equal(0L, await CountAsync(Store, "SELECT COUNT(*) FROM qrtz_triggers WHERE preferred_node_auto"));

        await Store.Database.WriteAsync((session, ct) => session.ExecuteAsync("DELETE FROM qrtz_triggers WHERE trigger_name = 'hourly'", [], ct), null, CancellationToken.None);

        Assert.Equal(0, await CountAsync(Store, "SELECT COUNT(*) FROM qrtz_cron_triggers"));
        Assert.Equal(1, await CountAsync(Store, "SELECT COUNT(*) FROM qrtz_job_details"));
    }

    private static SqlArg Bool(string name, bool value) => new(name, value, DbType.Boolean);
}
