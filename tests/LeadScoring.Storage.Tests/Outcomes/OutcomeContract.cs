using System.Data.Common;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Outcomes;

/// <summary>
/// What the outcomes store must do on every database. Each concrete subclass supplies a fresh, empty database per
/// test; every test here runs once per provider.
/// </summary>
public abstract class OutcomeContract : StoreContract<OutcomeStore>
{
    private const string Source = "api:crm";

    // Microseconds on purpose: both databases must keep them.
    private static readonly DateTimeOffset March = new DateTimeOffset(2025, 3, 1, 10, 15, 30, TimeSpan.Zero).AddTicks(1_234_560);
    private static readonly DateTimeOffset April = new(2025, 4, 2, 8, 0, 0, TimeSpan.Zero);

    private protected override OutcomeStore OpenStore(SqlDatabase database) => new(database);

    private static OutcomeRecord Converted(string lead, double? revenue = 1250.75, DateTimeOffset? at = null) => new(lead, true, revenue, at ?? March);

    private static OutcomeRecord Lost(string lead, DateTimeOffset? at = null) => new(lead, false, null, at ?? March);

    private Task<OutcomeBatchResult> RecordAsync(params OutcomeRecord[] outcomes) => Store.RecordAsync(outcomes, Source);

    private Task<long?> CountAsync(string sql) =>
        Store.Database.ReadAsync((session, ct) => session.ScalarInt64Async(sql, [], ct), CancellationToken.None);

    private static List<OutcomeRecord> ManyOutcomes(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i % 3 == 0
            ? Converted($"lead-{i:D6}", i % 2 == 0 ? i * 0.5 : null, March.AddSeconds(i))
            : Lost($"lead-{i:D6}", March.AddSeconds(i)))];

    // ---- recording and reading ----

    [Fact]
    public async Task Every_field_round_trips_with_microseconds_and_null_revenue()
    {
        var plusTwo = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(9_876_540);
        Time.Advance(TimeSpan.FromTicks(1_234_567)); // the receive time keeps microseconds too (the last tick is dropped)

        var result = await RecordAsync(Converted("crm-1", 1250.75), Lost("crm-2", plusTwo));

        Assert.Equal(new OutcomeBatchResult(2, 0, 0), result);
        var receivedAt = Start.AddTicks(1_234_560);
        Assert.Equal(new StoredOutcome("crm-1", true, 1250.75, March, receivedAt, Source, null), await Store.GetCurrentAsync("crm-1"));
        var lost = await Store.GetCurrentAsync("crm-2");
        Assert.Equal(new StoredOutcome("crm-2", false, null, plusTwo, receivedAt, Source, null), lost);
        Assert.Equal(TimeSpan.Zero, lost!.OccurredAt.Offset);
        Assert.Null(await Store.GetCurrentAsync("crm-3"));
        Assert.Empty(await Store.GetHistoryAsync("crm-3"));
    }

    [Fact]
    public async Task Occurred_at_is_kept_at_microseconds_so_resending_the_same_instant_is_unchanged()
    {
        var withTicks = March.AddTicks(7);

        await RecordAsync(Lost("crm-1", withTicks));

        Assert.Equal(March, (await Store.GetCurrentAsync("crm-1"))!.OccurredAt);
        Assert.Equal(new OutcomeBatchResult(0, 0, 1), await RecordAsync(Lost("crm-1", withTicks)));
        Assert.Equal(new OutcomeBatchResult(0, 0, 1), await RecordAsync(Lost("crm-1", March)));
    }

    [Fact]
    public async Task Sending_the_same_batch_again_changes_nothing()
    {
        OutcomeRecord[] batch = [Converted("crm-1"), Converted("crm-2", null), Lost("crm-3")];
        Assert.Equal(new OutcomeBatchResult(3, 0, 0), await RecordAsync(batch));
        Time.Advance(TimeSpan.FromHours(1));

        var again = await Store.RecordAsync(batch, "import:crm.csv");

        Assert.Equal(new OutcomeBatchResult(0, 0, 3), again);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outcome_history"));
        var current = await Store.GetCurrentAsync("crm-1");
        Assert.Equal(Start, current!.ReceivedAt); // still the first receipt, from the first source
        Assert.Equal(Source, current.Source);
        Assert.Single(await Store.GetHistoryAsync("crm-2"));
    }

    [Fact]
    public async Task A_different_outcome_replaces_the_current_one_and_the_history_keeps_the_old_one()
    {
        await RecordAsync(Lost("crm-1"));
        Time.Advance(TimeSpan.FromHours(3));
        var replacedAt = Start.AddHours(3);

        var result = await Store.RecordAsync([Converted("crm-1", 900, April), Lost("crm-2")], "import:late.csv");

        Assert.Equal(new OutcomeBatchResult(1, 1, 0), result);
        var current = new StoredOutcome("crm-1", true, 900, April, replacedAt, "import:late.csv", null);
        Assert.Equal(current, await Store.GetCurrentAsync("crm-1"));
        Assert.Equal(
            [new StoredOutcome("crm-1", false, null, March, Start, Source, replacedAt), current],
            await Store.GetHistoryAsync("crm-1"));
    }

    [Fact]
    public async Task Each_field_alone_makes_an_outcome_different()
    {
        await RecordAsync(Converted("crm-1", 100, March));

        Assert.Equal(1, (await RecordAsync(Converted("crm-1", 100, April))).Replaced);
        Assert.Equal(1, (await RecordAsync(Converted("crm-1", 101, April))).Replaced);
        Assert.Equal(1, (await RecordAsync(Converted("crm-1", null, April))).Replaced);
        Assert.Equal(1, (await RecordAsync(Lost("crm-1", April))).Replaced);
        Assert.Equal(1, (await RecordAsync(Converted("crm-1", null, April))).Replaced);

        Assert.Equal(
            [(true, 100.0, March), (true, 100.0, April), (true, 101.0, April), (true, null, April), (false, null, April), (true, null, April)],
            (await Store.GetHistoryAsync("crm-1")).Select(o => (o.Converted, o.Revenue, o.OccurredAt)));
    }

    [Fact]
    public async Task A_batch_is_written_as_if_its_items_came_one_after_another()
    {
        await RecordAsync(Lost("crm-1"));

        var result = await RecordAsync(
            Converted("crm-1", 10), Lost("crm-2"), Converted("crm-1", 20), Lost("crm-2"), Converted("crm-3", null), Converted("crm-1", 20));

        // crm-1: replaced, replaced, unchanged; crm-2: new, unchanged; crm-3: new.
        Assert.Equal(new OutcomeBatchResult(2, 2, 2), result);
        Assert.Equal([null, 10.0, 20.0], (await Store.GetHistoryAsync("crm-1")).Select(o => o.Revenue));
        Assert.Equal(20.0, (await Store.GetCurrentAsync("crm-1"))!.Revenue);
        Assert.Single(await Store.GetHistoryAsync("crm-2"));
    }

    [Fact]
    public async Task An_empty_batch_writes_nothing()
    {
        Assert.Equal(new OutcomeBatchResult(0, 0, 0), await Store.RecordAsync([], Source));
        Assert.Equal(new OutcomeSummary(0, 0, 0), await Store.GetSummaryAsync());
    }

    // ---- known by a time ----

    [Fact]
    public async Task Known_by_gives_the_outcome_each_lead_had_at_that_time()
    {
        await RecordAsync(Lost("crm-1"), Converted("crm-2", 50));
        Time.Advance(TimeSpan.FromHours(1));
        await RecordAsync(Converted("crm-1", 75, April), Converted("crm-2", 50));
        Time.Advance(TimeSpan.FromHours(1));
        await RecordAsync(Converted("crm-1", 80, April), Lost("crm-3"));
        string[] leads = ["crm-1", "crm-2", "crm-3", "never-seen"];

        async Task<string> KnownByAsync(TimeSpan after) =>
            string.Join(' ', (await Store.ReadKnownByAsync(leads, Start + after)).Select(o => $"{o.LeadId}:{o.Converted}:{o.Revenue}"));

        Assert.Equal("", await KnownByAsync(TimeSpan.FromTicks(-10)));
        Assert.Equal("crm-1:False: crm-2:True:50", await KnownByAsync(TimeSpan.Zero));
        Assert.Equal("crm-1:False: crm-2:True:50", await KnownByAsync(TimeSpan.FromMinutes(59)));
        Assert.Equal("crm-1:True:75 crm-2:True:50", await KnownByAsync(TimeSpan.FromHours(1)));
        Assert.Equal("crm-1:True:80 crm-2:True:50 crm-3:False:", await KnownByAsync(TimeSpan.FromHours(2)));
        Assert.Equal("crm-1:True:80 crm-2:True:50 crm-3:False:", await KnownByAsync(TimeSpan.FromDays(30)));
        var replaced = (await Store.ReadKnownByAsync(["crm-1"], Start.AddMinutes(30)))[0];
        Assert.Equal(new StoredOutcome("crm-1", false, null, March, Start, Source, null), replaced);
    }

    [Fact]
    public async Task Known_by_over_a_window_matches_the_occurred_at_of_the_version_known_then()
    {
        await RecordAsync(Lost("crm-1", March), Lost("crm-2", March.AddDays(1)), Lost("crm-3", April));
        Time.Advance(TimeSpan.FromHours(1));
        await RecordAsync(Converted("crm-1", 5, April));
        var marchStart = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var aprilStart = marchStart.AddMonths(1);

        Assert.Equal(["crm-1", "crm-2"], (await Store.ReadKnownByAsync(marchStart, aprilStart, Start.AddMinutes(30))).Select(o => o.LeadId));
        Assert.Equal(["crm-2"], (await Store.ReadKnownByAsync(marchStart, aprilStart, Start.AddHours(1))).Select(o => o.LeadId));
        Assert.Equal(["crm-1", "crm-3"], (await Store.ReadKnownByAsync(aprilStart, aprilStart.AddMonths(1), Start.AddHours(1))).Select(o => o.LeadId));
        // The window is half-open: an outcome at its end is outside.
        Assert.Empty(await Store.ReadKnownByAsync(marchStart, March, Start.AddMinutes(30)));
        Assert.Single(await Store.ReadKnownByAsync(marchStart, March.AddTicks(10), Start.AddMinutes(30)));
    }

    // ---- summary ----

    [Fact]
    public async Task The_summary_counts_current_outcomes()
    {
        await RecordAsync(Converted("crm-1", 100), Converted("crm-2", null), Lost("crm-3"), Lost("crm-4"));
        await RecordAsync(Converted("crm-3", 50.5), Converted("crm-1", 20));

        var summary = await Store.GetSummaryAsync();

        Assert.Equal(new OutcomeSummary(4, 3, 70.5), summary);
        Assert.Equal(0.75, summary.ConversionRate);
    }

    // ---- bulk ----

    [Fact]
    public async Task A_20000_row_batch_round_trips_and_resending_it_is_all_unchanged()
    {
        var batch = ManyOutcomes(20_000);

        Assert.Equal(new OutcomeBatchResult(20_000, 0, 0), await Store.RecordAsync(batch, "import:crm.csv"));
        Assert.Equal(new OutcomeBatchResult(0, 0, 20_000), await Store.RecordAsync(batch, "import:crm.csv"));

        var known = await Store.ReadKnownByAsync(batch.ConvertAll(o => o.LeadId), Start);
        Assert.Equal(batch, known.Select(o => new OutcomeRecord(o.LeadId, o.Converted, o.Revenue, o.OccurredAt)));
        Assert.Equal(
            new OutcomeSummary(20_000, batch.Count(o => o.Converted), batch.Sum(o => o.Revenue ?? 0)),
            await Store.GetSummaryAsync());
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outcome_history"));
    }

    [Fact]
    public async Task A_20000_row_batch_replacing_half_of_its_leads_keeps_their_old_outcomes()
    {
        var batch = ManyOutcomes(20_000);
        await Store.RecordAsync(batch, "import:first.csv");
        Time.Advance(TimeSpan.FromDays(1));
        var changed = batch.Select((o, i) => i % 2 == 0 ? o with { OccurredAt = April } : o).ToList();

        Assert.Equal(new OutcomeBatchResult(0, 10_000, 10_000), await Store.RecordAsync(changed, "import:second.csv"));

        Assert.Equal(10_000, await CountAsync("SELECT COUNT(*) FROM outcome_history"));
        Assert.Equal([March.AddSeconds(2), April], (await Store.GetHistoryAsync("lead-000002")).Select(o => o.OccurredAt));
        Assert.Equal(batch, (await Store.ReadKnownByAsync(batch.ConvertAll(o => o.LeadId), Start)).Select(o => new OutcomeRecord(o.LeadId, o.Converted, o.Revenue, o.OccurredAt)));
    }

    [Fact]
    public async Task Concurrent_batches_from_several_processes_keep_every_replaced_version()
    {
        await Store.InitializeAsync();
        var writers = Enumerable.Range(1, 6).Select(_ => Open()).ToList();
        var leads = Enumerable.Range(0, 300).Select(i => $"crm-{i}").ToList();

        // Each writer sends every lead with its own revenue, so every item is new or a replacement.
        var results = await Task.WhenAll(writers.Select((writer, w) => Task.Run(() =>
            writer.RecordAsync(leads.ConvertAll(lead => Converted(lead, w + 1.0)), $"writer-{w}"))));

        Assert.Equal(leads.Count, results.Sum(r => r.New));
        Assert.Equal(leads.Count * (writers.Count - 1), results.Sum(r => r.Replaced));
        Assert.Equal(leads.Count * (writers.Count - 1), await CountAsync("SELECT COUNT(*) FROM outcome_history"));
        var history = await Store.GetHistoryAsync("crm-7");
        Assert.Equal(writers.Count, history.Select(o => o.Revenue).Distinct().Count());
    }

    // ---- all or nothing ----

    [Fact]
    public async Task A_database_error_midway_through_a_batch_writes_nothing()
    {
        await RecordAsync(Lost("lead-000003"));
        // Two rows with revenue 13.5 far apart in the batch: the database refuses the batch after it staged every
        // row and moved lead-000003's old outcome into the history.
        await Store.Database.WriteAsync((session, ct) => session.ExecuteAsync("CREATE UNIQUE INDEX ux_test_revenue ON outcomes (revenue)", [], ct), null, CancellationToken.None);
        var batch = ManyOutcomes(20_000);
        batch[0] = Converted("lead-000000", 13.5);
        batch[^1] = Converted("lead-019999", 13.5);
        batch[3] = Converted("lead-000003", null);

        await Assert.ThrowsAnyAsync<DbException>(() => Store.RecordAsync(batch, Source));

        Assert.Equal(new OutcomeSummary(1, 0, 0), await Store.GetSummaryAsync());
        Assert.Equal([Lost("lead-000003")], (await Store.GetHistoryAsync("lead-000003")).Select(o => new OutcomeRecord(o.LeadId, o.Converted, o.Revenue, o.OccurredAt)));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outcome_history"));
    }

    [Fact]
    public async Task The_database_itself_refuses_negative_revenue_and_revenue_on_a_lost_lead()
    {
        await Store.InitializeAsync();

        Task Insert(string values) => Store.Database.WriteAsync(
            (session, ct) => session.ExecuteAsync(
                $"INSERT INTO outcomes (lead_id, converted, revenue, occurred_at, received_at, source) VALUES ({values})",
                [Store.Database.Dialect.TimeArg("@t", March)],
                ct),
            null,
            CancellationToken.None);

        await Assert.ThrowsAnyAsync<DbException>(() => Insert("'crm-1', true, -1, @t, @t, 'sql'"));
        await Assert.ThrowsAnyAsync<DbException>(() => Insert("'crm-1', false, 10, @t, @t, 'sql'"));
        await Insert("'crm-1', true, 0, @t, @t, 'sql'");
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outcomes"));
    }

    public static TheoryData<int, OutcomeRecord, string, string> InvalidOutcomes => new()
    {
        { 0, new OutcomeRecord("", true, null, March), "lead_id", "must be a non-empty string" },
        { 1, new OutcomeRecord("  ", true, null, March), "lead_id", "must be a non-empty string" },
        { 2, new OutcomeRecord(new string('x', 201), true, null, March), "lead_id", "must be at most 200 characters" },
        { 3, new OutcomeRecord("crm-9", true, -0.01, March), "revenue", "must not be negative" },
        { 4, new OutcomeRecord("crm-9", true, double.NaN, March), "revenue", "must be a finite number" },
        { 5, new OutcomeRecord("crm-9", true, double.PositiveInfinity, March), "revenue", "must be a finite number" },
        { 6, new OutcomeRecord("crm-9", false, 10, March), "revenue", "must be null when the lead did not convert" },
    };

    [Theory]
    [MemberData(nameof(InvalidOutcomes))]
    public async Task An_invalid_item_refuses_the_whole_batch_naming_the_item_and_field(int index, OutcomeRecord invalid, string field, string problem)
    {
        var batch = ManyOutcomes(1_000 + index);
        batch[^1] = invalid;

        var refused = await Assert.ThrowsAsync<InvalidOutcomeException>(() => Store.RecordAsync(batch, Source));

        Assert.Equal(batch.Count - 1, refused.Index);
        Assert.Equal(field, refused.Field);
        Assert.Equal($"outcomes[{batch.Count - 1}].{field} {problem}", refused.Message);
        Assert.Equal(new OutcomeSummary(0, 0, 0), await Store.GetSummaryAsync());
    }

    [Fact]
    public async Task A_null_item_or_a_missing_source_is_refused()
    {
        var nullItem = await Assert.ThrowsAsync<InvalidOutcomeException>(() => Store.RecordAsync([Lost("crm-1"), null!], Source));
        Assert.Equal(1, nullItem.Index);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordAsync([Lost("crm-1")], " "));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordAsync([Lost("crm-1")], new string('s', 201)));
        Assert.Equal(new OutcomeSummary(0, 0, 0), await Store.GetSummaryAsync());
    }

    // ---- the store around it ----

    [Fact]
    public async Task A_read_only_store_refuses_outcomes_with_a_read_only_fault()
    {
        await RecordAsync(Lost("crm-1"));
        await Store.DisposeAsync();
        await Database.MakeReadOnlyAsync();
        var readOnly = Open();

        var check = await readOnly.CheckWritableAsync();
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => readOnly.RecordAsync([Lost("crm-2")], Source));

        Assert.Equal(StoreFault.ReadOnly, check.Fault);
        Assert.Equal(StoreFault.ReadOnly, refused.Fault);
        Assert.StartsWith($"{readOnly.StoreDescription} cannot be written: it is read-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcomes_have_their_own_schema_version_and_leave_the_registry_change_token_alone()
    {
        await using var registry = new ModelRegistry(new SqlDatabase(Database.OpenDialect(), Time));
        await registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));
        var token = await registry.GetChangeTokenAsync();

        await RecordAsync(Lost("crm-1"));
        await RecordAsync(Converted("crm-1"));

        Assert.Equal(token, await registry.GetChangeTokenAsync());
        Assert.Equal(1, await CountAsync("SELECT MAX(version) FROM schema_versions WHERE component = 'outcomes'"));
        Assert.Equal(2, await CountAsync("SELECT MAX(version) FROM schema_versions WHERE component = 'registry'"));
    }
}
