using System.Globalization;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>
/// What the window reader must do on every database: first score per lead, the half-open window, version and arm
/// filters, outcomes as known at a time, features JSON read into columns (missing values, nulls, unknown keys,
/// escapes), and agreement with <see cref="FeedbackReader"/> on a seeded random log.
/// </summary>
public abstract class MonitoringWindowContract : StoreContract<MonitoringWindowStores>
{
    private const string Model = "lead-scoring";

    private static readonly DateTimeOffset March = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly MonitoringFeature[] Features =
    [
        new("total_visits", MonitoringFeatureKind.Numeric),
        new("lead_source", MonitoringFeatureKind.Categorical),
        new("do_not_email", MonitoringFeatureKind.Numeric),
        new("company_size", MonitoringFeatureKind.Categorical),
    ];

    private int _requests;

    private protected override MonitoringWindowStores OpenStore(SqlDatabase database) => new(database);

    private PredictionRecord Score(string lead, DateTimeOffset at, int version = 1, string arm = ServingArms.Champion, string model = Model, double score = 0.5, string band = "warm", string? json = null) =>
        new(string.Create(CultureInfo.InvariantCulture, $"req-{++_requests}"), lead, at, model, version, arm, score, band, 900, json ?? """{"total_visits":4,"lead_source":"referral","do_not_email":false,"company_size":"11-50"}""");

    // Every column compared as a sequence (xUnit's span overloads neither take nullable strings nor cross an await).
    private static void Columns<T>(IEnumerable<T> expected, IEnumerable<T> actual) => Assert.Equal(expected, actual);

    private Task LogAsync(params PredictionRecord[] predictions) => Store.Log.AppendAsync(predictions);

    private Task<OutcomeBatchResult> RecordAsync(params OutcomeRecord[] outcomes) => Store.Outcomes.RecordAsync(outcomes, "api:crm");

    private Task<MonitoringWindowColumns> ReadAsync(DateTimeOffset knownBy, int? version = null, string? arm = null, IReadOnlyList<MonitoringFeature>? features = null) =>
        Store.Windows.ReadAsync(new MonitoringWindowQuery(Model, March, April, knownBy, features ?? Features, version, arm));

    [Fact]
    public async Task Each_lead_comes_once_with_its_first_score_in_the_window_and_every_column_filled()
    {
        await LogAsync(Score("a", March.AddDays(9), score: 0.9, band: "hot"), Score("b", March.AddDays(2), score: 0.2, band: "cold"));
        await LogAsync(Score("a", March.AddDays(3).AddTicks(1_234_560), version: 2, score: 0.7, band: "hot"), Score("a", March.AddDays(20)));
        await LogAsync(Score("c", March.AddDays(5), score: 0.3), Score("c", March.AddDays(5), score: 0.4));
        await LogAsync(Score("before", March.AddTicks(-10)), Score("at-to", April), Score("at-from", March, score: 0.1, band: "cold"));
        await RecordAsync(new("a", true, 1250.5, April.AddDays(1)), new("b", false, null, April), new("at-from", true, null, April));

        var w = await ReadAsync(knownBy: Start);

        Assert.Equal(4, w.Count);
        Columns([March.UtcTicks, March.AddDays(2).UtcTicks, March.AddDays(3).AddTicks(1_234_560).UtcTicks, March.AddDays(5).UtcTicks], w.ScoredAtTicks);
        Columns([0.1, 0.2, 0.7, 0.3], w.Scores);
        Columns(["cold", "cold", "hot", "warm"], w.Bands);
        Columns([1, 1, 2, 1], w.ModelVersions);
        Columns([true, false, true, null], w.Converted);
        Columns([null, null, 1250.5, null], w.Revenue);
        Columns([4.0, 4, 4, 4], w.Numeric["total_visits"]);
        Columns([0.0, 0, 0, 0], w.Numeric["do_not_email"]);
        Columns(["referral", "referral", "referral", "referral"], w.Categorical["lead_source"]);
        Assert.Same(w.Categorical["lead_source"][0], w.Categorical["lead_source"][3]);
        Columns(["total_visits", "do_not_email"], w.Numeric.Keys.Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task Version_and_arm_filters_pick_the_first_score_within_the_scope()
    {
        await LogAsync(
            Score("a", March.AddDays(1), version: 1, score: 0.11),
            Score("a", March.AddDays(2), version: 2, arm: ServingArms.Challenger, score: 0.12),
            Score("a", March.AddDays(3), version: 2, score: 0.13),
            Score("b", March.AddDays(4), version: 2, arm: ServingArms.Shadow, score: 0.14),
            Score("c", March.AddDays(5), model: "other-model", score: 0.15));

        Columns([0.11, 0.14], (await ReadAsync(Start)).Scores);
        Columns([0.12, 0.14], (await ReadAsync(Start, version: 2)).Scores);
        Columns([0.13], (await ReadAsync(Start, version: 2, arm: ServingArms.Champion)).Scores);
        Columns([0.12], (await ReadAsync(Start, arm: ServingArms.Challenger)).Scores);
        Assert.Equal(0, (await ReadAsync(Start, version: 3)).Count);
    }

    [Fact]
    public async Task Outcomes_are_those_known_at_the_time_asked()
    {
        await LogAsync(Score("a", March.AddDays(1)), Score("b", March.AddDays(2)), Score("c", March.AddDays(3)));
        var first = Start;
        await RecordAsync(new("a", false, null, March.AddDays(10)), new("b", true, 10, March.AddDays(10)));
        Time.Advance(TimeSpan.FromDays(1));
        var second = Time.GetUtcNow();
        await RecordAsync(new("a", true, 99, March.AddDays(12)), new("c", true, 5, March.AddDays(12)));
        Time.Advance(TimeSpan.FromDays(1));
        await RecordAsync(new OutcomeRecord("a", true, 150, March.AddDays(13)));

        var before = await ReadAsync(first.AddTicks(-10));
        var atFirst = await ReadAsync(first);
        var atSecond = await ReadAsync(second);
        var now = await ReadAsync(Time.GetUtcNow());

        Columns([null, null, null], before.Converted);
        Columns([false, true, null], atFirst.Converted);
        Columns([null, 10.0, null], atFirst.Revenue);
        Columns([true, true, true], atSecond.Converted);
        Columns([99.0, 10, 5], atSecond.Revenue);
        Columns([150.0, 10, 5], now.Revenue);
    }

    [Fact]
    public async Task Features_json_missing_values_nulls_unseen_keys_and_odd_values_become_NaN_null_or_text()
    {
        await LogAsync(
            Score("full", March.AddDays(1), json: """{"total_visits":4.5,"lead_source":"referral","do_not_email":true,"company_size":"11-50"}"""),
            Score("missing", March.AddDays(2), json: """{"lead_source":null}"""),
            Score("nulls", March.AddDays(3), json: """{"total_visits":null,"lead_source":null,"do_not_email":null,"company_size":null}"""),
            Score("unknown", March.AddDays(4), json: """{"new_field":"x","company_size":"1-10","other":3.5,"total_visits":0,"flag":true}"""),
            Score("odd", March.AddDays(5), json: """{"total_visits":"seven","lead_source":42,"do_not_email":"no","company_size":false}"""),
            Score("escaped", March.AddDays(6), json: """{"lead_\u0073ource":"caf\u00e9 \"quoted\" ✓","total_visits":1e3,"total_visits":-2.25}"""),
            Score("empty", March.AddDays(7), json: "{}"));

        var w = await ReadAsync(Start);

        Columns([4.5, double.NaN, double.NaN, 0, double.NaN, -2.25, double.NaN], w.Numeric["total_visits"]);
        Columns([1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN], w.Numeric["do_not_email"]);
        Columns(["referral", null, null, null, "42", "café \"quoted\" ✓", null], w.Categorical["lead_source"]);
        Columns(["11-50", null, null, "1-10", "false", null, null], w.Categorical["company_size"]);
    }

    [Fact]
    public async Task Only_the_features_asked_for_are_read_and_none_is_fine()
    {
        await LogAsync(Score("a", March.AddDays(1)), Score("b", March.AddDays(2)));

        var none = await ReadAsync(Start, features: []);
        var one = await ReadAsync(Start, features: [new MonitoringFeature("company_size", MonitoringFeatureKind.Numeric), new MonitoringFeature("never_logged", MonitoringFeatureKind.Categorical)]);

        Assert.Equal(2, none.Count);
        Assert.Empty(none.Numeric);
        Assert.Empty(none.Categorical);
        Columns([double.NaN, double.NaN], one.Numeric["company_size"]);
        Columns([null, null], one.Categorical["never_logged"]);
    }

    [Fact]
    public async Task An_empty_window_and_a_bad_query()
    {
        var empty = await ReadAsync(Start);

        Assert.Equal(0, empty.Count);
        Assert.Empty(empty.Scores);
        Assert.Empty(empty.Numeric["total_visits"]);
        async Task Refused(string field, MonitoringWindowQuery query) =>
            Assert.Equal(field, (await Assert.ThrowsAsync<ArgumentException>(() => Store.Windows.ReadAsync(query))).ParamName);
        await Refused("query.ModelName", new(" ", March, April, Start, Features));
        await Refused("query.ScoredTo", new(Model, March, March, Start, Features));
        await Refused("query.ModelVersion", new(Model, March, April, Start, Features, 0));
        await Refused("query.Arm", new(Model, March, April, Start, Features, Arm: "blue"));
        await Refused("query.Features[1]", new(Model, March, April, Start, [Features[0], Features[0]]));
    }

    [Fact]
    public async Task It_agrees_with_the_feedback_reader_on_a_seeded_random_log()
    {
        var random = new Random(9);
        var predictions = Enumerable.Range(0, 3_000)
            .Select(_ => Score(
                $"lead-{random.Next(800):D3}",
                March.AddSeconds(random.Next(-86_400, 32 * 86_400)),
                version: 1 + random.Next(2),
                arm: random.Next(3) == 0 ? ServingArms.Challenger : ServingArms.Champion,
                score: Math.Round(random.NextDouble(), 6),
                json: string.Create(CultureInfo.InvariantCulture, $$"""{"total_visits":{{random.Next(10)}},"lead_source":"s{{random.Next(4)}}"}""")))
            .ToList();
        foreach (var batch in predictions.Chunk(500))
        {
            await LogAsync(batch);
        }

        foreach (var round in Enumerable.Range(0, 3))
        {
            await RecordAsync([.. Enumerable.Range(0, 300).Select(_ => random.Next(900)).Distinct().Select(i => random.Next(2) == 0
                ? new OutcomeRecord($"lead-{i:D3}", false, null, March)
                : new OutcomeRecord($"lead-{i:D3}", true, random.Next(3) switch { 0 => null, 1 => 0, _ => random.Next(1, 500) }, March))]);
            Time.Advance(TimeSpan.FromHours(1));
        }

        var knownBy = Start.AddMinutes(90);
        foreach (var (version, arm) in new (int?, string?)[] { (null, null), (2, null), (1, ServingArms.Challenger) })
        {
            var expected = await Store.Feedback.ReadLabelledAsync(new LabelledQuery(Model, March, April, knownBy, version, arm, IncludeUnlabelled: true)).ToListAsync();
            var w = await ReadAsync(knownBy, version, arm);

            Assert.True(expected.Count > 100);
            Assert.Equal(expected.Select(e => e.FirstScore.Record.ScoredAt.UtcTicks), w.ScoredAtTicks);
            Assert.Equal(expected.Select(e => e.FirstScore.Record.Score), w.Scores);
            Assert.Equal(expected.Select(e => e.Outcome?.Converted), w.Converted);
            Assert.Equal(expected.Select(e => e.Outcome?.Revenue), w.Revenue);
            Assert.Contains(0.0, w.Revenue);
            Assert.Equal(expected.Select(e => double.Parse(e.FirstScore.Record.FeaturesJson.Split(':', ',')[1], CultureInfo.InvariantCulture)), w.Numeric["total_visits"]);
        }
    }

    [Fact]
    public async Task Lead_ids_are_told_apart_byte_for_byte_however_alike_and_each_lead_comes_once_across_many_rows()
    {
        // Ids sharing prefixes, differing only in case, in Unicode normalisation, or at the end of 3,000 characters;
        // 7,000 rows over 2,400 leads, in random order, so duplicates fall in different hand-off chunks and the id
        // set grows many times while the window is read.
        var longPrefix = new string('x', 3_000);
        string[] odd = ["p", "p1", "p11", "P1", "lead-é", "lead-e\u0301", "lead-😀", "リード", longPrefix + "a", longPrefix + "b", longPrefix, "a b", "a\tb"];
        var leads = odd.Concat(Enumerable.Range(0, 2_400 - odd.Length).Select(i => string.Create(CultureInfo.InvariantCulture, $"crm-{i}"))).ToArray();
        var random = new Random(17);
        var predictions = Enumerable.Range(0, 7_000)
            .Select(i => (Lead: leads[i < leads.Length ? i : random.Next(leads.Length)], At: March.AddSeconds(random.Next(0, 30 * 86_400)), Score: i / 10_000.0))
            .OrderBy(_ => random.Next())
            .ToList();
        foreach (var batch in predictions.Chunk(1_000))
        {
            await LogAsync([.. batch.Select(p => Score(p.Lead, p.At, score: p.Score))]);
        }

        var w = await ReadAsync(Start);

        // The first score of each lead by (scored_at, id); ids grow in logging order.
        var logged = predictions.Select((p, order) => (p.Lead, p.At, p.Score, Order: order)).ToList();
        var expected = logged.GroupBy(p => p.Lead, StringComparer.Ordinal)
            .Select(g => g.OrderBy(p => p.At).ThenBy(p => p.Order).First())
            .OrderBy(p => p.At).ThenBy(p => p.Order)
            .ToList();
        Assert.Equal(leads.Length, w.Count);
        Columns(expected.Select(p => p.Score), w.Scores);
        Columns(expected.Select(p => p.At.UtcTicks), w.ScoredAtTicks);
    }

    [Fact]
    public async Task Many_distinct_categories_and_very_long_values_are_read_whole()
    {
        // 300 distinct categories (more than are matched by their bytes), one value of 200,000 characters, and a
        // category first seen escaped, then plain.
        var huge = new string('z', 200_000);
        var predictions = Enumerable.Range(0, 3_000)
            .Select(i => Score(
                string.Create(CultureInfo.InvariantCulture, $"lead-{i}"),
                March.AddSeconds(i),
                json: i switch
                {
                    7 => $$"""{"lead_source":"{{huge}}","total_visits":7}""",
                    8 => """{"lead_source":"caf\u00e9","total_visits":8}""",
                    _ => string.Create(CultureInfo.InvariantCulture, $$"""{"lead_source":"{{(i == 9 ? "café" : "s" + (i % 300))}}","total_visits":{{i}}}"""),
                }))
            .ToList();
        foreach (var batch in predictions.Chunk(500))
        {
            await LogAsync(batch);
        }

        var w = await ReadAsync(Start);

        var sources = w.Categorical["lead_source"];
        Columns(Enumerable.Range(0, 3_000).Select(i => (double)i), w.Numeric["total_visits"]);
        Columns(Enumerable.Range(0, 3_000).Select(i => i switch { 7 => huge, 8 or 9 => "café", _ => "s" + (i % 300) }), sources);
        Assert.Same(sources[8], sources[9]);
        Assert.Same(sources[299], sources[2_999]);
        Assert.Equal(301, sources.Where(s => s!.Length < 100).Distinct(StringComparer.Ordinal).Count());
    }
}
