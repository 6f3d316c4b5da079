using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Registry;

/// <summary>Admin requests with a bad header, reason or body get a 400 (or 415) problem naming the field; nothing changes.</summary>
[Collection(ServerCollection.Name)]
public sealed class AdminRequestTests(TestPackages packages) : IAsyncLifetime
{
    private RunningService _service = null!;
    private int _version;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        _version = await _service.RegisterAsync(packages.First);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task An_actor_over_100_characters_names_the_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/registry/models/lead-scoring/versions/{_version}/stage") { Content = JsonContent.Create(new { stage = "Staging" }) };
        request.Headers.Add("X-Actor", new string('a', 101));

        var (status, problem) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["is 101 characters; the limit is 100"], Json.Errors(problem, "X-Actor"));
        Assert.Equal("None", await StageAsync());
    }

    [Fact]
    public async Task An_actor_of_100_characters_is_recorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/registry/models/lead-scoring/versions/{_version}/stage") { Content = JsonContent.Create(new { stage = "Staging" }) };
        request.Headers.Add("X-Actor", new string('a', 100));

        var (status, _) = await SendAsync(request);
        var audit = await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/audit?limit=1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("api:" + new string('a', 100), audit[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Reasons_and_descriptions_over_the_limit_name_their_field()
    {
        var tooLong = new string('r', 1001);

        var (stage, stageProblem) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/registry/models/lead-scoring/versions/{_version}/stage") { Content = JsonContent.Create(new { stage = "Staging", reason = tooLong }) });
        var (alias, aliasProblem) = await SendAsync(new HttpRequestMessage(HttpMethod.Put, "/registry/models/lead-scoring/aliases/champion") { Content = JsonContent.Create(new { version = _version, reason = tooLong }) });
        var (rollback, rollbackProblem) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/registry/models/lead-scoring/rollback") { Content = JsonContent.Create(new { reason = tooLong }) });
        var (remove, removeProblem) = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/registry/models/lead-scoring/aliases/champion?reason={tooLong}"));
        var (register, registerProblem) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/registry/models/lead-scoring/versions?description={tooLong}") { Content = Zip(packages.Second) });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (stage, alias, rollback, remove, register));
        Assert.Equal(["is 1001 characters; the limit is 1000"], Json.Errors(stageProblem, "reason"));
        Assert.Equal(["is 1001 characters; the limit is 1000"], Json.Errors(aliasProblem, "reason"));
        Assert.Equal(["is 1001 characters; the limit is 1000"], Json.Errors(rollbackProblem, "reason"));
        Assert.Equal(["is 1001 characters; the limit is 1000"], Json.Errors(removeProblem, "reason"));
        Assert.Equal(["is 1001 characters; the limit is 1000"], Json.Errors(registerProblem, "description"));
        Assert.Equal(1, (await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/models/lead-scoring/versions")).GetArrayLength());
        Assert.Equal("None", await StageAsync());
    }

    [Theory]
    [InlineData("POST", "stage", "{\"stage\": \"Staging\"", "body", "is not valid JSON")]
    [InlineData("PUT", "alias", "{\"version\": 1,}", "body", "is not valid JSON")]
    [InlineData("POST", "rollback", "[\"why\"]", "body", "must be a JSON object")]
    [InlineData("POST", "stage", "{\"stage\": \"Staging\", \"stage\": \"Production\"}", "body", "is not valid JSON")]
    [InlineData("POST", "stage", "{\"stage\": \"\\ud800\"}", "body", "holds text that is not valid Unicode")]
    [InlineData("POST", "stage", "{\"stage\": 3}", "stage", "is required: a string")]
    [InlineData("POST", "stage", "{\"stage\": \"Staging\", \"reasn\": \"typo\"}", "reasn", "is not a known field; expected stage, reason")]
    [InlineData("PUT", "alias", "{\"version\": \"1\"}", "version", "is required: a whole number")]
    [InlineData("PUT", "alias", "{\"version\": 1, \"reason\": 5}", "reason", "must be a string or null")]
    [InlineData("PUT", "alias", "", "body", "is empty; send a JSON object")]
    public async Task Malformed_bodies_name_what_is_wrong(string method, string route, string json, string field, string message)
    {
        var (status, problem) = await SendAsync(new HttpRequestMessage(new HttpMethod(method), Route(route)) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Json.Errors(problem, field);
        Assert.True(errors.Length == 1 && errors[0].StartsWith(message, StringComparison.Ordinal), $"errors: {problem}");
        Assert.Equal("None", await StageAsync());
    }

    [Theory]
    [InlineData("stage", "application/x-www-form-urlencoded", "has Content-Type 'application/x-www-form-urlencoded; charset=utf-8', which this route does not accept")]
    [InlineData("alias", "text/plain", "has Content-Type 'text/plain; charset=utf-8', which this route does not accept")]
    [InlineData("rollback", null, "must be sent as application/json (Content-Type is '')")]
    public async Task A_body_that_is_not_sent_as_json_is_an_unsupported_media_type(string route, string? contentType, string message)
    {
        var method = route == "alias" ? HttpMethod.Put : HttpMethod.Post;
        HttpContent content = contentType is null ? new ByteArrayContent(Encoding.UTF8.GetBytes("{}")) : new StringContent("{}", Encoding.UTF8, contentType);

        var (status, problem) = await SendAsync(new HttpRequestMessage(method, Route(route)) { Content = content });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.StartsWith(message, Json.Errors(problem, "body").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollback_needs_no_body()
    {
        var (status, problem) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/registry/models/lead-scoring/rollback"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("roll back", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_alias_names_the_alias()
    {
        var (status, problem) = await SendAsync(new HttpRequestMessage(HttpMethod.Put, "/registry/models/lead-scoring/aliases/Not-An-Alias") { Content = JsonContent.Create(new { version = _version }) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'Not-An-Alias' is invalid", Json.Errors(problem, "alias").Single(), StringComparison.Ordinal);
    }

    private string Route(string route) => route switch
    {
        "stage" => $"/registry/models/lead-scoring/versions/{_version}/stage",
        "alias" => "/registry/models/lead-scoring/aliases/champion",
        _ => "/registry/models/lead-scoring/rollback",
    };

    private static ByteArrayContent Zip(byte[] archive)
    {
        var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    private async Task<string?> StageAsync() =>
        (await _service.Admin.GetFromJsonAsync<JsonElement>($"/registry/models/lead-scoring/versions/{_version}")).GetProperty("stage").GetString();

    private async Task<(HttpStatusCode Status, JsonElement Problem)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _service.Admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }
}
