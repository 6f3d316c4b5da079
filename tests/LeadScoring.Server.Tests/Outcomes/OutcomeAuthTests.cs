using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>Outcomes need the admin key or the ingest key; the ingest key opens nothing else; the source says who sent them.</summary>
public sealed class OutcomeAuthTests : IAsyncLifetime
{
    private OutcomeService _service = null!;

    public async Task InitializeAsync() => _service = await OutcomeService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? key, string? actor = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (actor is not null)
        {
            request.Headers.Add("X-Actor", actor);
        }

        if (body is not null)
        {
            request.Content = OutcomeService.Body(body);
        }

        using var response = await _service.Service.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_both_routes_are_401_problems_and_nothing_is_written()
    {
        var outcome = OutcomeService.Outcome("crm-1");

        var (status, problem, contentType) = await Json.PostAsync(_service.Service.Client, "/outcomes", outcome);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("Send the admin key or the ingest key in the X-Api-Key header.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/outcomes", "", body: outcome));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/outcomes", OutcomeService.IngestKey[..^1], body: outcome));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/outcomes", OutcomeService.IngestKey + "x", body: outcome));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/outcomes/summary", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/outcomes/summary", "wrong-key-0123456789"));
        Assert.Equal(0, await _service.StoredAsync());
    }

    [Fact]
    public async Task The_admin_key_and_the_ingest_key_both_post_outcomes_and_the_source_names_the_actor_or_the_key()
    {
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/outcomes", OutcomeService.IngestKey, body: OutcomeService.Outcome("by-ingest")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/outcomes", RunningService.AdminKey, body: OutcomeService.Outcome("by-admin")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/outcomes", OutcomeService.IngestKey, actor: " crm-sync ", body: OutcomeService.Outcome("by-crm-sync")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/outcomes/summary", OutcomeService.IngestKey));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/outcomes/summary", RunningService.AdminKey));

        Assert.Equal("api:ingest", (await _service.Store.GetCurrentAsync("by-ingest"))!.Source);
        Assert.Equal("api:admin", (await _service.Store.GetCurrentAsync("by-admin"))!.Source);
        Assert.Equal("api:crm-sync", (await _service.Store.GetCurrentAsync("by-crm-sync"))!.Source);
    }

    [Fact]
    public async Task The_ingest_key_does_not_open_the_registry_routes()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/registry/models", OutcomeService.IngestKey));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/registry/models", RunningService.AdminKey));
    }

    [Fact]
    public async Task Without_an_ingest_key_configured_only_the_admin_key_posts_outcomes()
    {
        await using var adminOnly = await RunningService.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/outcomes") { Content = OutcomeService.Body(OutcomeService.Outcome("crm-1")) };
        request.Headers.Add("X-Api-Key", OutcomeService.IngestKey);

        using var refused = await adminOnly.Client.SendAsync(request);
        using var accepted = await adminOnly.Admin.PostAsync("/outcomes", OutcomeService.Body(OutcomeService.Outcome("crm-1")));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("LeadScoring:Ingest:Key", "short-key", "LeadScoring:Ingest:Key must be at least 16 characters (got 9); set a longer key, or none to post outcomes with the admin key only")]
    [InlineData("LeadScoring:Ingest:Key", "   0123456789   ", "LeadScoring:Ingest:Key must be at least 16 characters (got 10)")]
    [InlineData("LeadScoring:Outcomes:ClockSkew", "-00:01:00", "LeadScoring:Outcomes:ClockSkew must be between 00:00:00 and 1.00:00:00 (got -00:01:00)")]
    [InlineData("LeadScoring:Outcomes:MaxBatchSize", "0", "LeadScoring:Outcomes:MaxBatchSize must be between 1 and 100000 (got 0)")]
    [InlineData("LeadScoring:Outcomes:MaxRequestBytes", "10", "LeadScoring:Outcomes:MaxRequestBytes must be between 1024 and 268435456 (got 10)")]
    [InlineData("LeadScoring:Outcomes:MaxBatch", "5", "MaxBatch")]
    [InlineData("LeadScoring:Ingest:Secret", "0123456789abcdef", "Secret")]
    public async Task A_bad_or_unknown_outcomes_setting_stops_the_service_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningService.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
