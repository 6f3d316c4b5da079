using System.Net;
using System.Text;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>
/// Every class of bad input to POST /outcomes gets a 400 (413 for a body over the limit) naming the item and field,
/// and writes nothing: each case sends its bad outcome after good ones and then reads the store. One service for
/// the class: no test here may write.
/// </summary>
public sealed class OutcomeValidationTests(OutcomeValidationTests.RefusingService fixture) : IClassFixture<OutcomeValidationTests.RefusingService>
{
    private const string Good = """{"lead_id": "crm-ok", "converted": false, "occurred_at": "2026-02-01T00:00:00Z"}""";
    private const string Offset = "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got";

    private OutcomeService Service => fixture.Service;

    public static TheoryData<string, string, string> BadOutcomes => new()
    {
        // lead_id
        { """{"converted": true, "occurred_at": "2026-02-01T00:00:00Z"}""", "lead_id", "is required (a non-empty string)" },
        { OutcomeService.Outcome(""), "lead_id", "must be a non-empty string" },
        { OutcomeService.Outcome("   "), "lead_id", "must be a non-empty string" },
        { OutcomeService.Outcome("x").Replace("\"x\"", "42", StringComparison.Ordinal), "lead_id", "must be a non-empty string" },
        { OutcomeService.Outcome("x").Replace("\"x\"", "null", StringComparison.Ordinal), "lead_id", "must be a non-empty string" },
        { OutcomeService.Outcome(new string('x', 201)), "lead_id", "must be at most 200 characters" },
        // converted
        { """{"lead_id": "x", "occurred_at": "2026-02-01T00:00:00Z"}""", "converted", "is required (true or false)" },
        { """{"lead_id": "x", "converted": "yes", "occurred_at": "2026-02-01T00:00:00Z"}""", "converted", "must be true or false" },
        { """{"lead_id": "x", "converted": 1, "occurred_at": "2026-02-01T00:00:00Z"}""", "converted", "must be true or false" },
        { """{"lead_id": "x", "converted": null, "occurred_at": "2026-02-01T00:00:00Z"}""", "converted", "must be true or false" },
        // revenue
        { OutcomeService.Outcome("x", revenue: "-0.01"), "revenue", "must not be negative" },
        { OutcomeService.Outcome("x", revenue: "1e400"), "revenue", "must be a finite number (this one is too large for a double)" },
        { OutcomeService.Outcome("x", revenue: "-1e400"), "revenue", "must be a finite number (this one is too large for a double)" },
        { OutcomeService.Outcome("x", revenue: "\"100\""), "revenue", "must be a number or null" },
        { """{"lead_id": "x", "converted": false, "revenue": 10, "occurred_at": "2026-02-01T00:00:00Z"}""", "revenue", "must be null when the lead did not convert" },
        // occurred_at
        { OutcomeService.Outcome("x", occurredAt: null), "occurred_at", "is required (an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z)" },
        { OutcomeService.Outcome("x", occurredAt: "last tuesday"), "occurred_at", $"{Offset} 'last tuesday'" },
        { OutcomeService.Outcome("x", occurredAt: "2026-02-30T10:00:00Z"), "occurred_at", $"{Offset} '2026-02-30T10:00:00Z'" },
        { OutcomeService.Outcome("x", occurredAt: "2026-02-20T10:00:00"), "occurred_at", "must have a UTC offset (Z or ±hh:mm), e.g. 2026-03-01T09:30:00Z; got '2026-02-20T10:00:00'" },
        { OutcomeService.Outcome("x").Replace("\"2026-02-20T10:00:00Z\"", "1771581600", StringComparison.Ordinal), "occurred_at", "must be a string: an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z" },
        { OutcomeService.Outcome("x", occurredAt: "2026-03-01T12:05:01Z"), "occurred_at", "must not be in the future: 2026-03-01T12:05:01Z is after now (2026-03-01T12:00:00Z) plus the allowed clock skew of 00:05:00" },
        { OutcomeService.Outcome("x", occurredAt: "2026-03-01T13:00:00+00:30"), "occurred_at", "must not be in the future: 2026-03-01T12:30:00Z is after now (2026-03-01T12:00:00Z) plus the allowed clock skew of 00:05:00" },
        // unknown and repeated fields
        { OutcomeService.Outcome("x")[..^1] + ", \"revenu\": 5}", "revenu", "is not a field of an outcome; did you mean 'revenue'?" },
        { OutcomeService.Outcome("x")[..^1] + ", \"Occurred_At\": 5}", "Occurred_At", "is not a field of an outcome; did you mean 'occurred_at'?" },
        { OutcomeService.Outcome("x")[..^1] + ", \"notes\": \"called twice\"}", "notes", "is not a field of an outcome (expected lead_id, converted, revenue and occurred_at)" },
        { OutcomeService.Outcome("x")[..^1] + ", \"converted\": false}", "converted", "is given more than once" },
        // text that cannot be decoded
        { OutcomeService.Outcome("a\\ud800b"), "lead_id", "is not valid text: it holds an unpaired surrogate escape (\\uD800–\\uDFFF)" },
    };

    [Theory]
    [MemberData(nameof(BadOutcomes))]
    public async Task A_bad_single_outcome_is_a_400_naming_the_field_and_writes_nothing(string outcome, string field, string message)
    {
        var (status, problem, contentType) = await Service.PostAsync(outcome);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal([message], Json.Errors(problem, field));
        Assert.Equal(0, await Service.StoredAsync());
    }

    [Theory]
    [MemberData(nameof(BadOutcomes))]
    public async Task A_bad_outcome_in_an_array_is_named_by_index_and_nothing_of_the_array_is_written(string outcome, string field, string message)
    {
        var (status, problem, _) = await Service.PostAsync(OutcomeService.Array(Good, OutcomeService.Outcome("crm-ok-2"), Good, outcome));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([message], Json.Errors(problem, $"[3].{field}"));
        Assert.Equal(0, await Service.StoredAsync());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "", "is empty; send an outcome object or an array of them" },
        { "{\"lead_id\": ", "is not valid JSON: " },
        { "\"crm-1\"", "must be an outcome object or an array of 1 to 150 of them" },
        { "17", "must be an outcome object or an array of 1 to 150 of them" },
        { "[]", "must hold 1 to 150 outcomes; the array is empty" },
        { OutcomeService.Array([.. Enumerable.Repeat(Good, 151)]), "holds 151 outcomes; the limit is 150 per request (LeadScoring:Outcomes:MaxBatchSize): send them in several requests" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_body_that_is_not_an_outcome_or_an_array_of_1_to_the_limit_is_a_400_on_body(string body, string message)
    {
        var (status, problem, _) = await Service.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, Assert.Single(Json.Errors(problem, "body")), StringComparison.Ordinal);
        Assert.Equal(0, await Service.StoredAsync());
    }

    [Fact]
    public async Task An_item_that_is_not_an_object_is_named_by_its_index()
    {
        var (status, problem, _) = await Service.PostAsync(OutcomeService.Array(Good, "[1]", "null"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["must be an object with lead_id, converted, revenue (optional) and occurred_at"], Json.Errors(problem, "[1]"));
        Assert.Equal(["must be an object with lead_id, converted, revenue (optional) and occurred_at"], Json.Errors(problem, "[2]"));
    }

    [Fact]
    public async Task Every_problem_of_every_item_is_listed_at_once()
    {
        var body = OutcomeService.Array(
            Good,
            """{"lead_id": "", "converted": "no", "revenue": -5, "occurred_at": "soon"}""",
            Good,
            """{"lead_id": "crm-3", "converted": false, "revenue": 12, "occured_at": "2026-02-01T00:00:00Z"}""");

        var (status, problem, _) = await Service.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid outcomes", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => string.Join(" | ", p.Value.EnumerateArray().Select(e => e.GetString())));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["[1].lead_id"] = "must be a non-empty string",
                ["[1].converted"] = "must be true or false",
                ["[1].revenue"] = "must not be negative",
                ["[1].occurred_at"] = $"{Offset} 'soon'",
                ["[3].occured_at"] = "is not a field of an outcome; did you mean 'occurred_at'?",
                ["[3].occurred_at"] = "is required (an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z)",
                ["[3].revenue"] = "must be null when the lead did not convert",
            },
            errors);
        Assert.StartsWith("Nothing was recorded: [1].converted must be true or false; ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("; and 2 more", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_of_bad_items_lists_the_first_100_fields_and_counts_the_rest()
    {
        var body = OutcomeService.Array([.. Enumerable.Range(0, 150).Select(i => OutcomeService.Outcome($"crm-{i}", occurredAt: "2099-01-01T00:00:00Z"))]);

        var (status, problem, _) = await Service.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(100, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.Single(Json.Errors(problem, "[99].occurred_at"));
        Assert.Empty(Json.Errors(problem, "[100].occurred_at"));
        Assert.EndsWith("; and 145 more (errors lists the first 100 fields; 50 more problems are not listed)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Service.StoredAsync());
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_is_a_413_whether_its_length_is_declared_or_chunked()
    {
        var big = OutcomeService.Array([.. Enumerable.Range(0, 140).Select(i => OutcomeService.Outcome($"crm-{i:D4}-{new string('p', 250)}"))]);
        Assert.True(Encoding.UTF8.GetByteCount(big) > 40_000);

        var (declared, problem, _) = await Service.PostAsync(big);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/outcomes") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await Service.Ingest.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
        Assert.StartsWith($"is {Encoding.UTF8.GetByteCount(big)} bytes; the limit is 40000 (LeadScoring:Outcomes:MaxRequestBytes)", Assert.Single(Json.Errors(problem, "body")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.Contains("exceeds the limit of 40000 bytes", await chunkedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Service.StoredAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_by_content_type_is_a_415()
    {
        using var content = new StringContent(Good, Encoding.UTF8, "text/csv");

        using var response = await Service.Ingest.PostAsync("/outcomes", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await Service.StoredAsync());
    }

    [Fact]
    public async Task An_X_Actor_over_100_characters_is_a_400_and_writes_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/outcomes") { Content = OutcomeService.Body(Good) };
        request.Headers.Add("X-Actor", new string('a', 101));

        using var response = await Service.Ingest.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Actor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Service.StoredAsync());
    }

    /// <summary>One service for the class, with small limits so the limit cases are cheap.</summary>
    public sealed class RefusingService : IAsyncLifetime
    {
        public OutcomeService Service { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Service = await OutcomeService.StartAsync(new Dictionary<string, string?>
            {
                ["LeadScoring:Outcomes:MaxBatchSize"] = "150",
                ["LeadScoring:Outcomes:MaxRequestBytes"] = "40000",
            });

        public async Task DisposeAsync() => await Service.DisposeAsync();
    }
}
