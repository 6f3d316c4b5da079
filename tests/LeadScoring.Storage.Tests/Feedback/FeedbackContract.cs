using System.Globalization;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Feedback;

/// <summary>
/// What the predictions ⋈ outcomes reader must do on every database: first score per lead, window edges, version
/// and arm filters, outcomes as known at a time, unlabelled leads, keyset paging, the match summary with its delay
/// quantiles (checked against values worked out by hand), and the matched count of a batch.
/// </summary>
public abstract class FeedbackContract : StoreContract<FeedbackStores>
{
    private const string Model = "lead-scoring";
    private const string Features = """{"lead_source":"referral","total_visits":4}""";

    // The scoring window of most tests: March 2025.
    private static readonly DateTimeOffset March = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private int _requests;

    private FeedbackReader Reader => Store.Reader;

    private protected override FeedbackStores OpenStore(SqlDatabase database) => new(database);

    private PredictionRecord Score(string lead, DateTimeOffset at, int version = 1, string arm = ServingArms.Champion, string model = Model, double score = 0.5) =>
        new(string.Create(CultureInfo.InvariantCulture, $"req-{++_requests}"), lead, at, model, version, arm, score, "warm", 900, Features);

    private static OutcomeRecord Won(string lead, double? revenue, DateTimeOffset occurredAt) => new(lead, true, revenue, occurredAt);

    private static OutcomeRecord Lost(string lead, DateTimeOffset occurredAt) => new(lead, false, null, occurredAt);

    private Task LogAsync(params PredictionRecord[] predictions) => Store.Log.AppendAsync(predictions);

    private Task<OutcomeBatchResult> RecordAsync(params OutcomeRecord[] outcomes) => Store.Outcomes.RecordAsync(outcomes, "api:crm");

    private static LabelledQuery MarchOf(DateTimeOffset knownBy, int? version = null, string? arm = null, bool unlabelled = false) =>
        new(Model, March, April, knownBy, version, arm, unlabelled);

    private async Task<List<LabelledPrediction>> ReadAsync(LabelledQuery query, int pageSize = 1_000) =>
        await Reader.ReadLabelledAsync(query, pageSize).ToListAsync();

    private static string Describe(IEnumerable<LabelledPrediction> rows) =>
        string.Join(' ', rows.Select(r => $"{r.FirstScore.Record.LeadId}:{r.FirstScore.Record.RequestId}:{(r.Outcome is null ? "-" : r.Outcome.Converted ? "won" : "lost")}"));

    // ---- first score per lead ----

    [Fact]
    public async Task Each_lead_comes_once_with_its_earliest_score_in_the_window_ties_going_to_the_first_logged()
    {
        await LogAsync(Score("a", March.AddDays(9)), Score("b", March.AddDays(2)));               // req-1 a, req-2 b
        await LogAsync(Score("a", March.AddDays(3)), Score("a", March.AddDays(20)));              // req-3 a (first), req-4 a
        await LogAsync(Score("c", March.AddDays(5)), Score("c", March.AddDays(5)));               // req-5 c (first by id), req-6 c
        await LogAsync(Score("b", March.AddDays(1).AddTicks(10)));                                // req-7 b (first, later logged)
        await RecordAsync(Won("a", 100, April.AddDays(1)), Lost("b", April), Lost("c", April));

        var rows = await ReadAsync(MarchOf(knownBy: Start));

        Assert.Equal("b:req-7:lost a:req-3:won c:req-5:lost", Describe(rows));
        Assert.Equal(March.AddDays(1).AddTicks(10), rows[0].FirstScore.Record.ScoredAt);
        Assert.Equal(new StoredOutcome("a", true, 100, April.AddDays(1), Start, "api:crm", null), rows[1].Outcome);
        Assert.Equal(Features, rows[1].FirstScore.Record.FeaturesJson);
    }

    [Fact]
    public async Task The_window_is_half_open_and_the_first_score_is_the_first_inside_it()
    {
        await LogAsync(
            Score("at-from", March),
            Score("before-then-inside", March.AddTicks(-10)),
            Score("before-then-inside", March.AddDays(4)),
            Score("at-to", April),
            Score("just-before-to", April.AddTicks(-10)));
        await RecordAsync(Lost("at-from", April), Lost("before-then-inside", April), Lost("at-to", April), Lost("just-before-to", April));

        var rows = await ReadAsync(MarchOf(knownBy: Start));

        Assert.Equal(["at-from", "before-then-inside", "just-before-to"], rows.Select(r => r.FirstScore.Record.LeadId));
        Assert.Equal(March.AddDays(4), rows[1].FirstScore.Record.ScoredAt);
    }

    [Fact]
    public async Task Version_arm_and_model_filters_pick_the_first_score_among_the_matching_predictions()
    {
        await LogAsync(
            Score("a", March.AddDays(1), version: 1),
            Score("a", March.AddDays(2), version: 2),
            Score("a", March.AddDays(3), version: 2, arm: ServingArms.Challenger),
            Score("b", March.AddDays(1), version: 2, arm: ServingArms.Challenger),
            Score("c", March.AddDays(1), model: "other-model"));
        await RecordAsync(Lost("a", April), Lost("b", April), Lost("c", April));

        Assert.Equal("a:req-1:lost b:req-4:lost", Describe(await ReadAsync(MarchOf(Start))));
        Assert.Equal("b:req-4:lost a:req-2:lost", Describe(await ReadAsync(MarchOf(Start, version: 2))));
        Assert.Equal("b:req-4:lost a:req-3:lost", Describe(await ReadAsync(MarchOf(Start, version: 2, arm: ServingArms.Challenger))));
        Assert.Equal("a:req-1:lost", Describe(await ReadAsync(MarchOf(Start, arm: ServingArms.Champion))));
        Assert.Empty(await ReadAsync(MarchOf(Start, version: 3)));
        Assert.Equal("c:req-5:lost", Describe(await ReadAsync(MarchOf(Start) with { ModelName = "other-model" })));
    }

    // ---- outcomes known by a time ----

    [Fact]
    public async Task The_outcome_is_the_one_known_at_KnownBy_a_replacement_after_it_shows_the_old_one_and_a_later_receipt_none()
    {
        await LogAsync(Score("replaced", March.AddDays(1)), Score("late", March.AddDays(2)), Score("kept", March.AddDays(3)));
        await RecordAsync(Lost("replaced", March.AddDays(10)), Won("kept", 5, March.AddDays(11)));
        Time.Advance(TimeSpan.FromHours(2));
        await RecordAsync(Won("replaced", 250, March.AddDays(12)), Lost("late", March.AddDays(13)));

        async Task<string> AtAsync(TimeSpan after, bool unlabelled = false) => Describe(await ReadAsync(MarchOf(Start + after, unlabelled: unlabelled)));

        Assert.Equal("", await AtAsync(TimeSpan.FromTicks(-10)));
        Assert.Equal("replaced:req-1:- late:req-2:- kept:req-3:-", await AtAsync(TimeSpan.FromTicks(-10), unlabelled: true));
        Assert.Equal("replaced:req-1:lost kept:req-3:won", await AtAsync(TimeSpan.Zero));
        Assert.Equal("replaced:req-1:lost kept:req-3:won", await AtAsync(TimeSpan.FromHours(2).Subtract(TimeSpan.FromTicks(10))));
        Assert.Equal("replaced:req-1:lost late:req-2:- kept:req-3:won", await AtAsync(TimeSpan.FromHours(1), unlabelled: true));
        Assert.Equal("replaced:req-1:won late:req-2:lost kept:req-3:won", await AtAsync(TimeSpan.FromHours(2)));

        var old = (await ReadAsync(MarchOf(Start.AddHours(1))))[0].Outcome;
        Assert.Equal(new StoredOutcome("replaced", false, null, March.AddDays(10), Start, "api:crm", null), old);
        var current = (await ReadAsync(MarchOf(Start.AddDays(1))))[0].Outcome;
        Assert.Equal(new StoredOutcome("replaced", true, 250, March.AddDays(12), Start.AddHours(2), "api:crm", null), current);
    }

    [Fact]
    public async Task A_lead_replaced_several_times_shows_each_version_in_its_own_interval()
    {
        await LogAsync(Score("a", March.AddDays(1)));
        for (var i = 1; i <= 4; i++)
        {
            await RecordAsync(Won("a", i * 10.0, March.AddDays(10 + i)));
            Time.Advance(TimeSpan.FromHours(1));
        }

        for (var i = 1; i <= 4; i++)
        {
            var row = Assert.Single(await ReadAsync(MarchOf(Start.AddHours(i - 1).AddMinutes(30))));
            Assert.Equal(i * 10.0, row.Outcome!.Revenue);
        }
    }

    [Fact]
    public async Task Unlabelled_leads_come_only_when_asked_for_and_outcomes_of_unscored_leads_never()
    {
        await LogAsync(Score("labelled", March.AddDays(1)), Score("waiting", March.AddDays(2)));
        await RecordAsync(Lost("labelled", April), Won("never-scored", null, April));

        Assert.Equal("labelled:req-1:lost", Describe(await ReadAsync(MarchOf(Start))));
        Assert.Equal("labelled:req-1:lost waiting:req-2:-", Describe(await ReadAsync(MarchOf(Start, unlabelled: true))));
    }

    // ---- paging ----

    [Fact]
    public async Task Pages_return_each_lead_once_in_first_score_order_however_many_share_a_timestamp()
    {
        // 120 leads over 9 distinct instants, each scored three times (the first of each lead comes first), some
        // appended out of order; every third lead has an outcome.
        var scores = new List<PredictionRecord>();
        for (var round = 0; round < 3; round++)
        {
            scores.AddRange(Enumerable.Range(0, 120).Select(i => Score($"lead-{i:D3}", March.AddHours((i % 9) + (round * 24)))));
        }

        foreach (var chunk in scores.Chunk(50).Reverse())
        {
            await LogAsync(chunk);
        }

        await Store.Outcomes.RecordAsync([.. Enumerable.Range(0, 120).Where(i => i % 3 == 0).Select(i => Lost($"lead-{i:D3}", April))], "import:crm.csv");

        var seen = new List<LabelledPrediction>();
        PredictionCursor? after = null;
        var pages = 0;
        do
        {
            var page = await Reader.ReadLabelledPageAsync(MarchOf(Start, unlabelled: true), after, pageSize: 7);
            seen.AddRange(page.Rows);
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Select(r => r.FirstScore.Record.LeadId).Distinct().Count());
        Assert.All(seen, r => Assert.Equal(TimeSpan.FromHours(int.Parse(r.FirstScore.Record.LeadId[5..], CultureInfo.InvariantCulture) % 9), r.FirstScore.Record.ScoredAt - March));
        Assert.Equal(seen, seen.OrderBy(r => r.FirstScore.Record.ScoredAt).ThenBy(r => r.FirstScore.Id));
        Assert.Equal((120 / 7) + 1, pages);
        Assert.Equal(40, seen.Count(r => r.Outcome is not null));
        Assert.Equal(seen, await ReadAsync(MarchOf(Start, unlabelled: true), pageSize: 13));

        var labelled = await ReadAsync(MarchOf(Start), pageSize: 4);
        Assert.Equal(seen.Where(r => r.Outcome is not null).Select(r => r.FirstScore.Id), labelled.Select(r => r.FirstScore.Id));
    }

    [Fact]
    public async Task A_query_must_be_well_formed()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start) with { ScoredTo = March }, null, 10));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start) with { ModelName = " " }, null, 10));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start, version: 0), null, 10));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start, arm: "canary"), null, 10));
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start), null, 0));
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Reader.ReadLabelledPageAsync(MarchOf(Start), null, FeedbackReader.MaxPageSize + 1));
    }

    // ---- match summary ----

    [Fact]
    public async Task The_match_summary_counts_matched_and_unmatched_outcomes_with_delay_quantiles_worked_out_by_hand()
    {
        // First scores (any model, version or arm); a lead's later scores do not move its delay.
        await LogAsync(
            Score("a", March.AddDays(1)),
            Score("a", March.AddDays(2), version: 2),
            Score("b", March.AddDays(1), model: "other-model"),
            Score("c", March.AddDays(1), arm: ServingArms.Shadow),
            Score("d", March.AddDays(1)),
            Score("e", March.AddDays(1)));
        await RecordAsync(
            Won("a", 100, March.AddDays(1).AddHours(1)),    // delay 1 h
            Lost("b", March.AddDays(1).AddHours(2)),        // 2 h
            Won("c", null, March.AddDays(1).AddHours(3)),   // 3 h
            Won("d", 50.5, March.AddDays(1).AddHours(10)),  // 10 h
            Lost("e", March.AddDays(1).AddMinutes(-30)),    // -30 min: the CRM says it happened before the score
            Won("unscored", 25, March.AddDays(9)),
            Lost("also-unscored", March.AddDays(9)));

        var summary = await Reader.GetMatchSummaryAsync(Start);

        Assert.Equal(7, summary.Received);
        Assert.Equal(5, summary.Matched);
        Assert.Equal(2, summary.Unmatched);
        Assert.Equal(4, summary.Converted);
        Assert.Equal(4 / 7.0, summary.ConversionRate);
        Assert.Equal(175.5, summary.TotalRevenue);
        // Sorted delays: -0.5, 1, 2, 3, 10 h. Median: the third. P90: h = 4 × 0.9 = 3.6, so 3 h + 0.6 × (10 h − 3 h) = 7.2 h.
        Assert.Equal(new DelaySummary(5, TimeSpan.FromHours(2), TimeSpan.FromHours(7.2)), summary.Delay);
        Assert.Equal(Start, summary.KnownBy);
    }

    [Fact]
    public async Task The_match_summary_at_a_time_sees_only_what_was_known_and_scored_then()
    {
        await LogAsync(Score("a", March.AddDays(1)), Score("b", March.AddDays(1)));
        await RecordAsync(Lost("a", March.AddDays(2)), Lost("b", March.AddDays(3)));
        Time.Advance(TimeSpan.FromHours(1));
        await RecordAsync(Won("a", 40, March.AddDays(4)), Lost("late", March.AddDays(5)));
        // Scored after both receipts: unmatched before its score, matched after it.
        await LogAsync(Score("late", Start.AddHours(3)));

        var before = await Reader.GetMatchSummaryAsync(Start.AddMinutes(30));
        var after = await Reader.GetMatchSummaryAsync(Start.AddHours(2));
        var later = await Reader.GetMatchSummaryAsync(Start.AddHours(3));

        Assert.Equal((2L, 2L, 0L, 0L, 0.0), (before.Received, before.Matched, before.Unmatched, before.Converted, before.TotalRevenue));
        // Delays 1 and 2 days: median 1.5 days, P90 1 + 0.9 days.
        Assert.Equal(new DelaySummary(2, TimeSpan.FromDays(1.5), TimeSpan.FromDays(1.9)), before.Delay);
        Assert.Equal((3L, 2L, 1L, 1L, 40.0), (after.Received, after.Matched, after.Unmatched, after.Converted, after.TotalRevenue));
        Assert.Equal(new DelaySummary(2, TimeSpan.FromDays(2.5), TimeSpan.FromDays(2.9)), after.Delay);
        Assert.Equal((3L, 3L, 0L), (later.Received, later.Matched, later.Unmatched));
        // "late" occurred 9.5 days before its score: delays -9.5…, 2 and 3 days; P90 at h = 1.8: 2 + 0.8 days.
        Assert.Equal(new DelaySummary(3, TimeSpan.FromDays(2), TimeSpan.FromDays(2.8)), later.Delay);
    }

    [Fact]
    public async Task The_match_summary_adds_revenue_without_drifting_in_whatever_order_the_database_reads_it()
    {
        // 10,000 × 0.1 is 1000 to the nearest double; a plain running sum ends at 1000.0000000001588.
        await Store.Outcomes.RecordAsync([.. Enumerable.Range(0, 10_000).Select(i => Won($"lead-{i}", 0.1, March))], "import:crm.csv");

        Assert.Equal(1000.0, (await Reader.GetMatchSummaryAsync(Start)).TotalRevenue);
    }

    [Fact]
    public async Task The_match_summary_of_an_empty_store_is_all_zero_without_quantiles()
    {
        var summary = await Reader.GetMatchSummaryAsync(Start);

        Assert.Equal(new MatchSummary(Start, 0, 0, 0, 0, new DelaySummary(0, null, null)), summary);
        Assert.Null(summary.ConversionRate);
    }

    // ---- matched count of a batch ----

    [Fact]
    public async Task CountScored_counts_distinct_scored_leads_across_statements()
    {
        var scored = Enumerable.Range(0, 60_000).Where(i => i % 4 == 0).Select(i => Score($"lead-{i:D5}", March.AddSeconds(i))).ToList();
        await LogAsync([.. scored]);
        var ids = Enumerable.Range(0, 60_000).Select(i => $"lead-{i:D5}").Concat(["lead-00000", "lead-00004", "nobody"]).ToList();

        Assert.Equal(15_000, await Reader.CountScoredAsync(ids));
        Assert.Equal(1, await Reader.CountScoredAsync(["lead-00008", "lead-00008", "lead-00009"]));
        Assert.Equal(0, await Reader.CountScoredAsync([]));
        await LogAsync(Score("it's \"quoted\" ✓ [1]", March));
        Assert.Equal(1, await Reader.CountScoredAsync(["it's \"quoted\" ✓ [1]", "it's"]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Reader.CountScoredAsync(["ok", " "]));
    }

    // ---- the reader around it ----

    [Fact]
    public async Task On_a_fresh_database_the_reader_creates_both_schemas_and_reads_nothing()
    {
        Assert.Empty(await ReadAsync(MarchOf(Start, unlabelled: true)));
        Assert.Equal(0, (await Reader.GetMatchSummaryAsync(Start)).Received);

        var versions = await Reader.Database.ReadAsync(
            (session, ct) => session.QueryAsync("SELECT component, MAX(version) FROM schema_versions GROUP BY component ORDER BY component", [], r => $"{r.GetString(0)}:{r.GetInt32(1)}", ct),
            CancellationToken.None);
        Assert.Equal(["outcomes:1", "predictions:2"], versions);
    }
}
