using System.Data.Common;
using System.Globalization;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Predictions;

/// <summary>What the prediction log must do on every database; each test runs once per provider.</summary>
public abstract class PredictionLogContract : StoreContract<PredictionLog>
{
    private const string Model = "lead-scoring";
    private const string Features = """{"lead_source":"referral","total_visits":4,"pages_per_visit":2.5,"company_size":null,"requested_demo":true,"note":"é \"quoted\" ✓"}""";

    private static readonly PredictionRange Everything = new(Start.AddYears(-10), Start.AddYears(10));

    /// <summary>The storage options that open this test's database through the factories (registry and log side by side).</summary>
    protected abstract StorageOptions Options { get; }

    protected PredictionLog Log => Store;

    private protected override PredictionLog OpenStore(SqlDatabase database) => new(database);

    protected static PredictionRecord Record(
        int i, string? lead = null, DateTimeOffset? at = null, string model = Model, int version = 1, string? features = null) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"req-{i}"),
            lead ?? string.Create(CultureInfo.InvariantCulture, $"lead-{i}"),
            at ?? Start.AddSeconds(i),
            model,
            version,
            ServingArms.Champion,
            (i % 1000) / 1000.0,
            i % 2 == 0 ? "hot" : "cold",
            1_000 + i,
            features ?? Features);

    protected static List<PredictionRecord> Records(int count, Func<int, PredictionRecord>? make = null) =>
        Enumerable.Range(0, count).Select(make ?? (i => Record(i))).ToList();

    [Fact]
    public async Task Append_then_read_preserves_every_field()
    {
        var full = Record(1, lead: "crm-1042", at: new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero).AddTicks(1_234_560)) with
        {
            Arm = ServingArms.Challenger,
            Score = 0.982899010181427,
            LatencyMicroseconds = 417,
            ShadowModelVersion = 7,
            ShadowScore = 0.123456789012345,
        };
        var bare = Record(2, lead: "crm-1042", at: full.ScoredAt.AddMicroseconds(1), features: "{}") with { Score = 0, Band = "cold" };
        // A local time comes back as the same instant in UTC; ticks below a microsecond are dropped.
        var local = Record(3, lead: "crm-1042", at: new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(19));

        await Log.AppendAsync([full, bare, local]);
        var read = await Open().GetByLeadAsync("crm-1042");

        Assert.Equal([local with { ScoredAt = local.ScoredAt.AddTicks(-9) }, full, bare], read.Select(p => p.Record));
        Assert.All(read, p => Assert.Equal(TimeSpan.Zero, p.Record.ScoredAt.Offset));
        Assert.Equal(Features, read[0].Record.FeaturesJson);
        Assert.Equal(7, read[1].Record.ShadowModelVersion);
        Assert.Null(read[2].Record.ShadowScore);
    }

    [Fact]
    public async Task A_batch_larger_than_one_statement_is_written_row_for_row_in_order()
    {
        // 130 rows: one prepared INSERT executed 130 times on SQLite; one COPY on PostgreSQL.
        var batch = Records(130, i => Record(i, lead: "same-lead", at: Start.AddMinutes(i)) with
        {
            ShadowModelVersion = i % 2 == 0 ? null : 2,
            ShadowScore = i % 2 == 0 ? null : i / 200.0,
        });

        await Log.AppendAsync(batch);

        Assert.Equal(batch, (await Log.GetByLeadAsync("same-lead")).Select(p => p.Record));
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        // The log has no unique key of its own; this one makes the database refuse the batch's last row, after
        // many statements' worth of rows were already sent in the same transaction.
        await Log.InitializeAsync();
        await Log.Database.WithConnectionAsync((session, ct) => session.ExecuteAsync("CREATE UNIQUE INDEX test_unique_request ON predictions (request_id)", [], ct), default);
        var batch = Records(3_000);
        batch.Add(Record(0));

        await Assert.ThrowsAnyAsync<DbException>(() => Log.AppendAsync(batch));

        Assert.Equal(0, await Log.CountAsync(Everything));
        await Log.AppendAsync(batch[..^1]);
        Assert.Equal(3_000, await Log.CountAsync(Everything));
    }

    [Fact]
    public async Task A_bad_record_is_refused_by_index_and_field_before_anything_is_written()
    {
        var cases = new (PredictionRecord Bad, string Field)[]
        {
            (Record(9) with { LeadId = " " }, "LeadId"),
            (Record(9) with { Score = double.NaN }, "Score"),
            (Record(9) with { Arm = "canary" }, "Arm"),
            (Record(9) with { ModelVersion = 0 }, "ModelVersion"),
            (Record(9) with { ShadowScore = 0.5 }, "ShadowModelVersion and ShadowScore"),
            (Record(9) with { ShadowModelVersion = 2, ShadowScore = 1.5 }, "ShadowScore"),
            (Record(9, features: """{"a":{"nested":1}}"""), "FeaturesJson"),
            (Record(9, features: "[1]"), "FeaturesJson"),
            (Record(9, features: """{"a":1} trailing"""), "FeaturesJson"),
        };

        foreach (var (bad, field) in cases)
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => Log.AppendAsync([Record(0), Record(1), bad]));
            Assert.StartsWith($"batch[2].{field} must", refused.Message, StringComparison.Ordinal);
        }

        await Log.AppendAsync([]);
        Assert.Equal(0, await Log.CountAsync(Everything));
    }

    [Fact]
    public async Task Writing_predictions_leaves_the_registry_and_its_change_token_alone()
    {
        await using var registry = ModelRegistryFactory.Create(Options, Time);
        await using var log = PredictionLogFactory.Create(Options, new PredictionLogOptions(), Time);
        await registry.RegisterAsync(new NewModelVersion(Model, [1, 2, 3], "{}", "alice"));
        var token = await registry.GetChangeTokenAsync();

        await log.AppendAsync(Records(500));
        await log.DeleteOlderThanAsync(Start.AddSeconds(100));

        Assert.Equal(token, await registry.GetChangeTokenAsync());
        Assert.Equal(400, await log.CountAsync(Everything));
        Assert.Equal([1], (await registry.ListVersionsAsync(Model)).Select(v => v.Version));
        Assert.Single(await registry.GetAuditLogAsync(Model));
    }

    [Fact]
    public async Task Lead_history_is_every_score_of_the_lead_oldest_first_ties_in_append_order()
    {
        await Log.AppendAsync([Record(1, lead: "a", at: Start.AddDays(3)), Record(2, lead: "b", at: Start.AddDays(1))]);
        await Log.AppendAsync([Record(3, lead: "a", at: Start.AddDays(1)), Record(4, lead: "a", at: Start.AddDays(3))]);
        await Log.AppendAsync([Record(5, lead: "a", at: Start.AddDays(2), version: 2)]);

        var history = await Log.GetByLeadAsync("a");

        Assert.Equal(["req-3", "req-5", "req-1", "req-4"], history.Select(p => p.Record.RequestId));
        Assert.Empty(await Log.GetByLeadAsync("nobody"));
    }

    [Fact]
    public async Task Range_pages_return_each_row_exactly_once_even_when_timestamps_are_equal()
    {
        // 300 rows over 43 distinct instants (7 share each), two models, appended in several batches out of order.
        var rows = Records(300, i => Record(i, at: Start.AddMilliseconds(i % 43), model: i % 3 == 0 ? "other" : Model, version: 1 + (i % 2)));
        foreach (var chunk in rows.Chunk(70).Reverse())
        {
            await Log.AppendAsync(chunk);
        }

        var range = new PredictionRange(Start.AddMilliseconds(5), Start.AddMilliseconds(40));
        var seen = new List<StoredPrediction>();
        PredictionCursor? after = null;
        var pages = 0;
        do
        {
            var page = await Log.ReadPageAsync(range, after, pageSize: 17);
            seen.AddRange(page.Rows);
            after = page.Next;
            pages++;
        }
        while (after is not null);

        // From is inclusive, To exclusive.
        var expected = rows.Where(r => r.ScoredAt >= range.From && r.ScoredAt < range.To).ToList();
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Select(p => p.Id).Distinct().Count());
        Assert.Equal(expected.Select(r => r.RequestId).Order(StringComparer.Ordinal), seen.Select(p => p.Record.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(seen, seen.OrderBy(p => p.Record.ScoredAt).ThenBy(p => p.Id));
        Assert.Equal((expected.Count / 17) + 1, pages);

        var streamed = await Log.ReadRangeAsync(range, pageSize: 10).ToListAsync();
        Assert.Equal(seen, streamed);
        Assert.Equal(expected.Count, await Log.CountAsync(range));

        var version2 = range with { ModelName = Model, ModelVersion = 2 };
        var filtered = await Log.ReadRangeAsync(version2, pageSize: 3).ToListAsync();
        Assert.Equal(expected.Count(r => r.ModelName == Model && r.ModelVersion == 2), filtered.Count);
        Assert.All(filtered, p => Assert.Equal((Model, 2), (p.Record.ModelName, p.Record.ModelVersion)));
        Assert.Equal(filtered.Count, await Log.CountAsync(version2));
        Assert.Equal(expected.Count(r => r.ModelName == "other"), await Log.CountAsync(range with { ModelName = "other" }));
    }

    [Fact]
    public async Task A_range_must_be_well_formed()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Log.CountAsync(new PredictionRange(Start, Start)));
        await Assert.ThrowsAsync<ArgumentException>(() => Log.CountAsync(new PredictionRange(Start, Start.AddDays(1), ModelVersion: 1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.ReadPageAsync(Everything, null, PredictionLog.MaxPageSize + 1));
    }

    [Fact]
    public async Task Retention_deletes_only_older_rows_in_chunks_each_committed_on_its_own()
    {
        var cutoff = Start.AddSeconds(50);
        await Log.AppendAsync(Records(70, i => Record(i, at: Start.AddSeconds(i))));
        var reader = Open();
        var committedAfterEachChunk = new List<(long Deleted, long Visible)>();

        var deleted = await Log.DeleteOlderThanAsync(
            cutoff,
            chunkSize: 8,
            async total => committedAfterEachChunk.Add((total, await reader.CountAsync(Everything))),
            CancellationToken.None);

        Assert.Equal(50, deleted);
        // Another connection sees each chunk's deletions as soon as the chunk is done: the lock is released in between.
        Assert.Equal([(8, 62), (16, 54), (24, 46), (32, 38), (40, 30), (48, 22)], committedAfterEachChunk);
        var left = await Log.ReadRangeAsync(Everything).ToListAsync();
        Assert.Equal(Enumerable.Range(50, 20).Select(i => $"req-{i}"), left.Select(p => p.Record.RequestId));
        Assert.Equal(0, await Log.DeleteOlderThanAsync(cutoff));
    }

    [Fact]
    public async Task Concurrent_appends_from_several_instances_all_land()
    {
        var logs = new[] { Log, Open(), Open(), Open() };
        var appends = Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var first = (task * 1_000) + (batch * 50);
                await logs[task % logs.Length].AppendAsync(Records(50, i => Record(first + i)));
            }
        }));

        await Task.WhenAll(appends);

        Assert.Equal(8 * 10 * 50, await Log.CountAsync(Everything));
        var ids = await Log.ReadRangeAsync(Everything, pageSize: PredictionLog.MaxPageSize).Select(p => p.Record.RequestId).ToListAsync();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_read_only_store_refuses_appends_with_a_read_only_fault()
    {
        await Log.AppendAsync([Record(1)]);
        await Log.DisposeAsync();
        await Database.MakeReadOnlyAsync();
        var readOnly = Open();

        var check = await readOnly.CheckWritableAsync();
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => readOnly.AppendAsync([Record(2)]));

        Assert.Equal(StoreFault.ReadOnly, check.Fault);
        Assert.Equal(StoreFault.ReadOnly, refused.Fault);
        Assert.StartsWith($"{readOnly.StoreDescription} cannot be written: it is read-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appender_commits_batch_after_batch_on_one_kept_connection()
    {
        var appender = Log.OpenAppender();
        await using (appender)
        {
            for (var batch = 0; batch < 5; batch++)
            {
                var first = batch * 30;
                await appender.AppendAsync(Records(30, i => Record(first + i, lead: "kept", at: Start.AddSeconds(first + i))));
                Assert.True(appender.IsConnected);
                // Committed when it returns: another instance sees the rows.
                Assert.Equal(first + 30, await Open().CountAsync(Everything));
            }

            await appender.AppendAsync([]);
            await appender.ReleaseConnectionAsync();
            Assert.False(appender.IsConnected);
            await appender.AppendAsync([Record(150, lead: "kept", at: Start.AddSeconds(150))]);
            Assert.True(appender.IsConnected);
        }

        Assert.Equal(Records(151, i => Record(i, lead: "kept", at: Start.AddSeconds(i))), (await Log.GetByLeadAsync("kept")).Select(p => p.Record));
    }

    [Fact]
    public async Task An_appender_refuses_a_bad_record_before_writing_and_keeps_its_connection()
    {
        var appender = Log.OpenAppender();
        await using (appender)
        {
            await appender.AppendAsync([Record(1)]);
            var error = await Assert.ThrowsAsync<ArgumentException>(() => appender.AppendAsync([Record(2), Record(3) with { LeadId = " " }]));

            Assert.Contains("[1]", error.Message, StringComparison.Ordinal);
            Assert.True(appender.IsConnected);
            Assert.Equal(1, await Log.CountAsync(Everything));
        }
    }

    [Fact]
    public async Task A_failed_appender_batch_is_rolled_back_and_the_next_batch_commits_on_a_new_connection()
    {
        await Log.InitializeAsync();
        await Log.Database.WithConnectionAsync((session, ct) => session.ExecuteAsync("CREATE UNIQUE INDEX test_unique_request ON predictions (request_id)", [], ct), default);
        var appender = Log.OpenAppender();
        await using (appender)
        {
            await appender.AppendAsync(Records(10));
            var batch = Records(500, i => Record(100 + i));
            batch.Add(Record(3));

            await Assert.ThrowsAnyAsync<DbException>(() => appender.AppendAsync(batch));

            Assert.False(appender.IsConnected);
            Assert.Equal(10, await Log.CountAsync(Everything));
            await appender.AppendAsync(batch[..^1]);
            Assert.True(appender.IsConnected);
            await appender.AppendAsync([Record(1_000)]);
        }

        Assert.Equal(511, await Log.CountAsync(Everything));
    }

    [Fact]
    public async Task A_batch_written_piece_by_piece_is_seen_by_no_one_until_its_commit_and_then_whole()
    {
        // Another instance, migrated before the batch holds the write lock.
        await using var other = Open();
        await other.InitializeAsync();
        var appender = Log.OpenAppender();
        await using (appender)
        {
            await appender.BeginAsync();
            await appender.AddAsync(Records(3, i => Record(i, lead: "piece", at: Start.AddSeconds(i))));
            await appender.AddAsync([Record(3, lead: "piece", at: Start.AddSeconds(3))]);
            await Assert.ThrowsAsync<InvalidOperationException>(() => appender.BeginAsync());

            Assert.Equal(0, await other.CountAsync(Everything));
            await appender.CommitAsync();
            Assert.Equal(4, await other.CountAsync(Everything));

            // A rolled-back batch leaves nothing, and the appender goes on with the next one.
            await appender.BeginAsync();
            await appender.AddAsync([Record(4, lead: "piece", at: Start.AddSeconds(4))]);
            await appender.RollbackAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => appender.CommitAsync());
            await appender.BeginAsync();
            await appender.AddAsync([Record(5, lead: "piece", at: Start.AddSeconds(5))]);
            await appender.CommitAsync();
        }

        Assert.Equal([0, 1, 2, 3, 5], (await Log.GetByLeadAsync("piece")).Select(p => p.Record.ScoredAt.Subtract(Start).Seconds));
    }

    [Fact]
    public async Task A_bad_record_added_to_an_open_batch_rolls_the_whole_batch_back()
    {
        var appender = Log.OpenAppender();
        await using (appender)
        {
            await appender.BeginAsync();
            await appender.AddAsync([Record(1)]);
            var error = await Assert.ThrowsAsync<ArgumentException>(() => appender.AddAsync([Record(2), Record(3) with { Score = 2 }]));

            Assert.Contains("[1].Score", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<InvalidOperationException>(() => appender.CommitAsync());
            Assert.True(appender.IsConnected);
            await appender.AppendAsync([Record(4)]);
        }

        Assert.Equal(["req-4"], (await Log.ReadPageAsync(Everything, null, 10)).Rows.Select(p => p.Record.RequestId));
    }

    [Fact]
    public async Task A_checkpoint_copies_the_log_into_its_file_where_the_database_has_a_write_ahead_log()
    {
        await Log.AppendAsync(Records(50));

        var checkpointed = await Log.CheckpointAsync();

        Assert.Equal(Log.Provider == "sqlite", checkpointed);
        Assert.Equal(50, await Open().CountAsync(Everything));
    }

    [Fact]
    public async Task An_appender_on_a_read_only_store_throws_the_same_read_only_fault_as_append()
    {
        await Log.AppendAsync([Record(1)]);
        await Log.DisposeAsync();
        await Database.MakeReadOnlyAsync();
        await using var readOnly = Open();
        var appender = readOnly.OpenAppender();
        await using (appender)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => appender.AppendAsync([Record(2)]));

                Assert.Equal(StoreFault.ReadOnly, refused.Fault);
                Assert.StartsWith($"{readOnly.StoreDescription} cannot be written: it is read-only", refused.Message, StringComparison.Ordinal);
                Assert.False(appender.IsConnected);
            }
        }
    }
}
