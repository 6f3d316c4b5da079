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
        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Scoring:MaxBatchSize"] = "3", ["LeadScoring:Scoring:MaxRequestBytes"] = "20000" });
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
        { Json.SimulatedLead("x", "total_vists", "3"), "features.total_vists", "is not a feature of this model; did you mean 'total_visits'?" },
        { Json.SimulatedLead("x", "countyr", "\"india\""), "features.countyr", "is not a feature of this model; did you mean 'country'?" },
        { Json.SimulatedLead().Replace("{\"lead_id\": \"lead-1\"", "{\"lead_id\": \"a\", \"lead_id\": \"lead-1\"", StringComparison.Ordinal), "lead_id", "is given more than once" },
        { Json.SimulatedLead()[..^1] + ", \"features\": {}}", "features", "is given more than once" },
        { Json.SimulatedLead("\\ud800"), "lead_id", LoneSurrogateValue },
        { Json.SimulatedLead("a\\udc00b"), "lead_id", LoneSurrogateValue },
        { Json.SimulatedLead("\\ud800\\u0041"), "lead_id", LoneSurrogateValue },
        { Json.SimulatedLead("x", "country", "\"\\ud800\""), "features.country", LoneSurrogateValue },
        { Json.SimulatedLead("x", "do_not_email", "\"\\udfff\""), "features.do_not_email", LoneSurrogateValue },
        { Json.SimulatedLead("x", "tot\\ud800al", "1"), "features.tot\\ud800al", LoneSurrogateName },
        { Json.SimulatedLead().Replace("{\"lead_id\"", "{\"\\ud800\": 1, \"lead_id\"", StringComparison.Ordinal), "\\ud800", LoneSurrogateName },
        { Json.SimulatedLead("x", "company_size", "[\"ok\", \"\\udbff\"]"), "features.company_size[1]", LoneSurrogateValue },
        { "\"\\ud800\"", "body", LoneSurrogateValue },
    };

    private const string LoneSurrogateValue = "is not valid text: it holds an unpaired surrogate escape (\\uD800–\\uDFFF)";
    private const string LoneSurrogateName = "is not a valid name: it holds an unpaired surrogate escape (\\uD800–\\uDFFF)";

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
    public async Task A_lone_surrogate_inside_a_batch_is_named_by_its_position()
    {
        var batch = "[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("\\ud800") + "]";

        var (status, problem, _) = await Json.PostAsync(_service.Client, "/score-leads", batch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([LoneSurrogateValue], Json.Errors(problem, "[1].lead_id"));
    }

    [Theory]
    [InlineData("\\ud83d\\ude00", "\U0001F600")]
    [InlineData("caf\\u00e9", "café")]
    public async Task Valid_unicode_escapes_are_decoded(string escaped, string decoded)
    {
        var (status, body, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead(escaped));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(decoded, body.GetProperty("lead_id").GetString());
    }

    [Theory]
    [InlineData("/score-lead", false)]
    [InlineData("/score-leads", true)]
    public async Task A_body_starting_with_a_utf8_byte_order_mark_is_accepted(string route, bool batch)
    {
        var json = batch ? "[" + Json.SimulatedLead() + "]" : Json.SimulatedLead();
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");

        using var response = await _service.Client.PostAsync(route, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_byte_order_mark_alone_is_an_empty_body()
    {
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF]);
        using var response = await _service.Client.PostAsync("/score-lead", content);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["is empty; send a JSON object"], Json.Errors(problem, "body"));
    }

    [Fact]
    public async Task A_broken_chunked_body_is_a_400_about_the_body()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(_service.Address.Host, _service.Address.Port);
        var stream = client.GetStream();
        var request = $"POST /score-lead HTTP/1.1\r\nHost: {_service.Address.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{{\"lea\r\nzz\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("\"body\":[\"could not be read", response, StringComparison.Ordinal);
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
        var single = Encoding.UTF8.GetBytes(Json.SimulatedLead());
        var batch = Encoding.UTF8.GetBytes("[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("b") + "]");
        var surrogatesFound = 0;
        for (var i = 0; i < 500; i++)
        {
            // Corrupt a valid request: cut it, splice random bytes, swap characters, put a \u escape (often an
            // unpaired surrogate) at the start of a string or key, or repeat a key.
            var bytes = i % 2 == 0 ? single : batch;
            var mutated = (i % 5) switch
            {
                0 => bytes[..random.Next(bytes.Length)],
                1 => [.. bytes[..random.Next(bytes.Length)], .. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256)), .. bytes[random.Next(bytes.Length)..]],
                2 => bytes.Select(b => random.NextDouble() < 0.05 ? (byte)Noise[random.Next(Noise.Length)] : b).ToArray(),
                3 => InsertAfterQuote(bytes, Escape(random), random),
                _ => RepeatKey(bytes, random),
            };
            using var content = new ByteArrayContent(mutated);
            content.Headers.ContentType = new("application/json");
            using var response = await _service.Client.PostAsync(i % 2 == 0 ? "/score-lead" : "/score-leads", content);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode is 200 or 400, $"request {i} got {(int)response.StatusCode}: {Encoding.UTF8.GetString(mutated)}");
            surrogatesFound += body.Contains("unpaired surrogate", StringComparison.Ordinal) ? 1 : 0;
        }

        // The escape generator does reach the decoder: many of its requests are refused for exactly that.
        Assert.InRange(surrogatesFound, 20, 100);
    }

    // Three in four escapes are surrogates (paired or not, in either order), the rest any code unit.
    private static byte[] Escape(Random random)
    {
        string Unit() => random.Next(4) switch
        {
            0 => $"\\u{random.Next(0xD800, 0xDC00):x4}",
            1 => $"\\u{random.Next(0xDC00, 0xE000):X4}",
            2 => $"\\u{random.Next(0x10000):x4}",
            _ => "\\ud83d\\ude00",
        };

        return Encoding.UTF8.GetBytes(Unit() + (random.Next(2) == 0 ? Unit() : ""));
    }

    private static byte[] InsertAfterQuote(byte[] json, byte[] insert, Random random)
    {
        var quotes = Enumerable.Range(0, json.Length).Where(i => json[i] == (byte)'"').ToArray();
        var at = quotes[random.Next(quotes.Length)] + 1;
        return [.. json[..at], .. insert, .. json[at..]];
    }

    // Repeats a "key": value pair of the first lead's top level or features right after itself.
    private static byte[] RepeatKey(byte[] json, Random random)
    {
        var text = Encoding.UTF8.GetString(json);
        string[] pairs = ["\"lead_id\": \"lead-1\", ", "\"lead_id\": \"a\", ", "\"total_visits\": 4, ", "\"country\": \"india\", "];
        var pair = pairs[random.Next(pairs.Length)];
        var at = text.IndexOf(pair, StringComparison.Ordinal);
        return at < 0 ? json : Encoding.UTF8.GetBytes(text.Insert(at, pair));
    }
}
