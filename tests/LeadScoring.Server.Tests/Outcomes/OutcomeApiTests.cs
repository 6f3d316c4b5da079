using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>POST /outcomes and GET /outcomes/summary through the real server: idempotency, replacement kept in history, matched and unmatched leads, the summary's numbers, the clock skew.</summary>
public sealed class OutcomeApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = OutcomeService.Now;

    private OutcomeService _service = null!;

    public async Task InitializeAsync() => _service = await OutcomeService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static (int Received, int New, int Replaced, int Unchanged, int Leads, long Matched, long Unmatched) Counts(JsonElement body) => (
        body.GetProperty("received").GetInt32(),
        body.GetProperty("new").GetInt32(),
        body.GetProperty("replaced").GetInt32(),
        body.GetProperty("unchanged").GetInt32(),
        body.GetProperty("leads").GetInt32(),
        body.GetProperty("matched").GetInt64(),
        body.GetProperty("unmatched").GetInt64());

    [Fact]
    public async Task The_same_body_twice_is_all_unchanged_the_second_time()
    {
        var body = OutcomeService.Array(
            OutcomeService.Outcome("crm-1", revenue: "1250.75"),
            OutcomeService.Outcome("crm-2", converted: false),
            OutcomeService.Outcome("crm-3", revenue: "null", occurredAt: "2026-02-20T11:00:00+01:00"));

        var (first, firstBody, _) = await _service.PostAsync(body);
        _service.Clock.Advance(TimeSpan.FromHours(1));
        var (second, secondBody, _) = await _service.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal((3, 3, 0, 0, 3, 0L, 3L), Counts(firstBody));
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal((3, 0, 0, 3, 3, 0L, 3L), Counts(secondBody));
        var crm1 = await _service.Store.GetHistoryAsync("crm-1");
        Assert.Equal([new StoredOutcome("crm-1", true, 1250.75, new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero), Now, "api:ingest", null)], crm1);
        Assert.Equal(new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero), (await _service.Store.GetCurrentAsync("crm-3"))!.OccurredAt);
    }

    [Fact]
    public async Task A_single_object_works_like_an_array_of_one()
    {
        var (status, body, _) = await _service.PostAsync(OutcomeService.Outcome("crm-1", converted: false, revenue: null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 1, 0, 0, 1, 0L, 1L), Counts(body));
        Assert.Equal(new OutcomeRecord("crm-1", false, null, new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero)), Record(await _service.Store.GetCurrentAsync("crm-1")));
    }

    [Fact]
    public async Task A_different_outcome_replaces_the_current_one_and_the_history_keeps_the_old_one()
    {
        await _service.PostAsync(OutcomeService.Outcome("crm-1", converted: false));
        _service.Clock.Advance(TimeSpan.FromDays(2));

        var (status, body, _) = await _service.PostAsync(OutcomeService.Outcome("crm-1", revenue: "900", occurredAt: "2026-02-27T09:00:00Z"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 0, 1, 0, 1, 0L, 1L), Counts(body));
        var history = await _service.Store.GetHistoryAsync("crm-1");
        Assert.Equal(
            [
                new StoredOutcome("crm-1", false, null, new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero), Now, "api:ingest", Now.AddDays(2)),
                new StoredOutcome("crm-1", true, 900, new DateTimeOffset(2026, 2, 27, 9, 0, 0, TimeSpan.Zero), Now.AddDays(2), "api:ingest", null),
            ],
            history);
    }

    [Fact]
    public async Task Outcomes_of_leads_never_scored_are_stored_and_counted_unmatched_per_distinct_lead()
    {
        await _service.SeedScoresAsync(("scored-1", Now.AddDays(-10)), ("scored-1", Now.AddDays(-9)), ("scored-2", Now.AddDays(-8)));

        var (status, body, _) = await _service.PostAsync(OutcomeService.Array(
            OutcomeService.Outcome("scored-1", converted: false),
            OutcomeService.Outcome("never-scored"),
            OutcomeService.Outcome("scored-2"),
            OutcomeService.Outcome("scored-1")));

        Assert.Equal(HttpStatusCode.OK, status);
        // scored-1 twice: new, then replaced by the later item in the same request.
        Assert.Equal((4, 3, 1, 0, 3, 2L, 1L), Counts(body));
        Assert.NotNull(await _service.Store.GetCurrentAsync("never-scored"));
        Assert.Equal(2, (await _service.Store.GetHistoryAsync("scored-1")).Count);
    }

    [Fact]
    public async Task An_outcome_up_to_the_clock_skew_ahead_is_accepted()
    {
        var (status, _, _) = await _service.PostAsync(OutcomeService.Outcome("crm-1", occurredAt: "2026-03-01T12:05:00Z"));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_clock_skew_is_configurable()
    {
        await using var strict = await OutcomeService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Outcomes:ClockSkew"] = "00:00:00" });

        var (ahead, problem, _) = await strict.PostAsync(OutcomeService.Outcome("crm-1", occurredAt: "2026-03-01T12:00:01Z"));
        var (atNow, _, _) = await strict.PostAsync(OutcomeService.Outcome("crm-1", occurredAt: "2026-03-01T12:00:00Z"));

        Assert.Equal(HttpStatusCode.BadRequest, ahead);
        Assert.EndsWith("plus the allowed clock skew of 00:00:00", Assert.Single(Json.Errors(problem, "occurred_at")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, atNow);
    }

    [Fact]
    public async Task The_summary_counts_received_matched_and_the_conversion_delay_as_known_at_a_time()
    {
        // First scores 2 days, 1 day and 1 hour before now; "d" is never scored. a's and b's outcomes occur 1 h and
        // 5 h after their first scores; c's first outcome at its score (0 s), then a replacement 2 days after it.
        await _service.SeedScoresAsync(("a", Now.AddDays(-2)), ("a", Now.AddDays(-1).AddHours(6)), ("b", Now.AddDays(-1)), ("c", Now.AddHours(-1)));
        await _service.PostAsync(OutcomeService.Array(
            OutcomeService.Outcome("a", revenue: "100", occurredAt: "2026-02-27T13:00:00Z"),
            OutcomeService.Outcome("b", converted: false, occurredAt: "2026-02-28T17:00:00Z"),
            OutcomeService.Outcome("d", revenue: "null", occurredAt: "2026-02-10T00:00:00Z")));
        _service.Clock.Advance(TimeSpan.FromHours(1));
        await _service.PostAsync(OutcomeService.Outcome("c", revenue: "20.5", occurredAt: "2026-03-01T11:00:00Z"));
        _service.Clock.Advance(TimeSpan.FromDays(2));
        await _service.PostAsync(OutcomeService.Outcome("c", revenue: "20.5", occurredAt: "2026-03-03T11:00:00Z"));

        var (status, summary) = await _service.GetSummaryAsync();
        var (earlier, before) = await _service.GetSummaryAsync("2026-03-01T12:30:00Z");
        var (bad, problem) = await _service.GetSummaryAsync("yesterday");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"known_by":"2026-03-03T13:00:00+00:00","received":4,"matched":3,"unmatched":1,"converted":3,"conversion_rate":0.75,"total_revenue":120.5,"conversion_delay":{"leads":3,"median_seconds":18000,"p90_seconds":141840,"median":"5 h","p90":"1 d 15 h"}}""",
            summary.GetRawText());
        // Delays 1 h, 5 h, 2 d: median 5 h; P90 at h = 1.8: 5 h + 0.8 × (2 d − 5 h) = 141,840 s. At 12:30 c's outcome
        // had not arrived: delays 1 h and 5 h, median 3 h, P90 1 h + 0.9 × 4 h = 16,560 s.
        Assert.Equal(HttpStatusCode.OK, earlier);
        Assert.Equal(
            """{"known_by":"2026-03-01T12:30:00+00:00","received":3,"matched":2,"unmatched":1,"converted":2,"conversion_rate":0.6666666666666666,"total_revenue":100,"conversion_delay":{"leads":2,"median_seconds":10800,"p90_seconds":16560,"median":"3 h","p90":"4 h 36 min"}}""",
            before.GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.StartsWith("must be an ISO 8601 date and time with a UTC offset", Assert.Single(Json.Errors(problem, "known_by")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_of_an_empty_store_has_no_rate_and_no_delays()
    {
        var (status, summary) = await _service.GetSummaryAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"known_by":"2026-03-01T12:00:00+00:00","received":0,"matched":0,"unmatched":0,"converted":0,"conversion_rate":null,"total_revenue":0,"conversion_delay":{"leads":0,"median_seconds":null,"p90_seconds":null,"median":null,"p90":null}}""",
            summary.GetRawText());
    }

    private static OutcomeRecord? Record(StoredOutcome? o) => o is null ? null : new(o.LeadId, o.Converted, o.Revenue, o.OccurredAt);
}
