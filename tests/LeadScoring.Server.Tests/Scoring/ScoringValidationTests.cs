using System.Net;
using System.Text;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Scoring;

[Collection(ServerCollection.Name)]
public sealed class ScoringValidationTests(TestPackages packages) : IAsyncLifetime
{
    private const string Noise = "{}[]\":,0-e.ntf";

    private RunningService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:MaxBatchSize"] = "3", ["LeadScoring:MaxRequestBytes"] = "20000" });
        await _service.DeployAsync(packages.First);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    public static TheoryData<string, string, string> BadLeads => new()
    {
        { Json.SimulatedLead().Replace("\"lead_id\": \"lead-1\", ", "", StringComparison.Ordinal), "lead_id", "is required" },
        { Json.SimulatedLead("  "), "lead_id", "must be a non-empty string" },
        { Json.SimulatedLead().Replace("\"lead-1\"", "17", StringComparison.Ordinal), "lead_id", "must be a non-empty string" },
        { Json.SimulatedLead("x", "total_visits", null), "features.total_visits", "is required (a number; send null when unknown)" },
        { Json.SimulatedLead("x", "total_visits", "\"four\""), "features.total_visits", "must be a number or null" },
        { Json.SimulatedLead("x", "total_visits", "1e999"), "features.total_visits", "must be a finite number" },
        { Json.SimulatedLead("x", "lead_source", "3"), "features.lead_source", "must be a string or null" },
        { Json.SimulatedLead("x", "requested_demo", "\"maybe\""), "features.requested_demo", "must be true or false or null" },
        { Json.SimulatedLead("x", "favourite_colour", "\"teal\""), "features.favourite_colour", "is not a feature of this model (see GET /model)" },
        { Json.SimulatedLead("x", "Total_Visits", "3"), "features.Total_Visits", "is not a feature of this model; did you mean 'total_visits'?" },
        { "{\"lead_id\": \"x\"}", "features", "is required: an object with a value for every feature of the model (see GET /model)" },
        { "{\"lead_id\": \"x\", \"features\": [1, 2]}", "features", "must be an object mapping feature names to values" },
        { Json.SimulatedLead().Replace("{\"lead_id\"", "{\"priority\": 1, \"lead_id\"", StringComparison.Ordinal), "priority", "is not a field of a scoring request (expected lead_id and features)" },
        { "[1]", "$", "must be an object with lead_id and features" },
    };

    [Theory]
    [MemberData(nameof(BadLeads))]
    public async Task An_invalid_lead_gets_a_400_problem_naming_the_field(string json, string field, string message)
    {
        var (status, problem, contentType) = await Json.PostAsync(_service.Client, "/score-lead", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Invalid scoring request", problem.GetProperty("title").GetString());
        Assert.Contains(message, Json.Errors(problem, field));
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"lead_id\": \"x\", \"features\": {\"total_visits\": NaN}}", "is not valid JSON")]
    [InlineData("{\"lead_id\": \"x\", \"features\": {\"total_visits\": Infinity}}", "is not valid JSON")]
    [InlineData("{\"lead_id\": \"x\", ", "is not valid JSON")]
    [InlineData("", "is empty; send a JSON object")]
    public async Task Malformed_or_empty_bodies_are_400_problems_about_the_body(string json, string message)
    {
        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-lead", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, Json.Errors(problem, "body").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_a_400_not_a_crash()
    {
        var bytes = Encoding.UTF8.GetBytes(Json.SimulatedLead("PLACEHOLDER"));
        var at = bytes.AsSpan().IndexOf("PLACEHOLDER"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        using var content = new ByteArrayContent(bytes);
        using var response = await _service.Client.PostAsync("/score-lead", content);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["is not valid UTF-8"], Json.Errors(problem, "body"));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_without_reading_it_all()
    {
        var huge = Json.SimulatedLead(new string('y', 30_000));

        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-lead", huge);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("the limit is 20000", Json.Errors(problem, "body").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_in_a_request_is_reported_at_once()
    {
        var json = Json.SimulatedLead("x", "total_visits", "\"a\"").Replace("\"lead_source\": \"referral\"", "\"lead_source\": 5", StringComparison.Ordinal);

        var (_, problem, _) = await Json.PostAsync(_service.Client, "/score-lead", json);

        Assert.NotEmpty(Json.Errors(problem, "features.total_visits"));
        Assert.NotEmpty(Json.Errors(problem, "features.lead_source"));
    }

    [Fact]
    public async Task One_bad_lead_in_a_batch_is_named_by_its_position()
    {
        var batch = "[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("b", "total_visits", "true") + "]";

        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-leads", batch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["must be a number or null"], Json.Errors(problem, "[1].features.total_visits"));
    }

    [Theory]
    [InlineData("[]", "holds 0 leads; a batch holds 1 to 3")]
    [InlineData("{}", "must be a JSON array of leads")]
    public async Task A_batch_must_be_a_bounded_non_empty_array(string json, string message)
    {
        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-leads", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([message], Json.Errors(problem, "body"));
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_refused()
    {
        var batch = "[" + string.Join(",", Enumerable.Range(0, 4).Select(i => Json.SimulatedLead("l" + i))) + "]";

        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-leads", batch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["holds 4 leads; a batch holds 1 to 3"], Json.Errors(problem, "body"));
    }

    [Fact]
    public async Task Garbage_never_causes_a_server_error()
    {
        var random = new Random(12345);
        var valid = Json.SimulatedLead();
        for (var i = 0; i < 300; i++)
        {
            // Corrupt a valid request: cut it, splice random bytes, or swap characters.
            var bytes = Encoding.UTF8.GetBytes(valid);
            var mutated = (i % 3) switch
            {
                0 => bytes[..random.Next(bytes.Length)],
                1 => [.. bytes[..random.Next(bytes.Length)], .. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256)), .. bytes[random.Next(bytes.Length)..]],
                _ => bytes.Select(b => random.NextDouble() < 0.05 ? (byte)Noise[random.Next(Noise.Length)] : b).ToArray(),
            };
            using var content = new ByteArrayContent(mutated);
            content.Headers.ContentType = new("application/json");
            using var response = await _service.Client.PostAsync(i % 2 == 0 ? "/score-lead" : "/score-leads", content);

            Assert.True((int)response.StatusCode is 200 or 400, $"request {i} got {(int)response.StatusCode}: {Encoding.UTF8.GetString(mutated)}");
        }
    }
}
