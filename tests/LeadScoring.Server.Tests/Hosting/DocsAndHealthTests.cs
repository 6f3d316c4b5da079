using System.Net;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Hosting;

public sealed class DocsAndHealthTests : IAsyncLifetime
{
    private RunningService _service = null!;

    public async Task InitializeAsync() => _service = await RunningService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task The_openapi_document_describes_scoring_model_and_registry_routes()
    {
        var document = JsonDocument.Parse(await _service.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        Assert.Equal("Lead scoring API", document.GetProperty("info").GetProperty("title").GetString());
        foreach (var path in new[] { "/score-lead", "/score-leads", "/model", "/registry/models", "/registry/models/{name}/rollback" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is documented");
        }

        Assert.True(paths.GetProperty("/score-lead").GetProperty("post").TryGetProperty("requestBody", out _));
        var response = document.GetProperty("components").GetProperty("schemas").GetProperty("ScoreLeadResponse").GetProperty("properties");
        Assert.Equal(["lead_id", "score", "bucket", "model", "arm", "request_id"], response.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_request_bodies()
    {
        var paths = JsonDocument.Parse(await _service.Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var register = paths.GetProperty("/registry/models/{name}/versions").GetProperty("post");

        Assert.Contains("`leadscore package DIR --out FILE.zip`", register.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(register.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/zip", out _));
        foreach (var (path, method) in new[] { ("/registry/models/{name}/versions/{version}/stage", "post"), ("/registry/models/{name}/aliases/{alias}", "put"), ("/registry/models/{name}/rollback", "post"), ("/deployments", "post"), ("/deployments/{id}/approve", "post"), ("/deployments/{id}/abort", "post") })
        {
            Assert.True(paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), $"{method} {path} documents its JSON body");
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_deployment_routes_and_their_shapes()
    {
        var document = JsonDocument.Parse(await _service.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        Assert.Equal(["get", "post"], paths.GetProperty("/deployments").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["get"], paths.GetProperty("/deployments/{id}").EnumerateObject().Select(p => p.Name));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal(
            ["model", "mode", "challenger_version", "share", "steps", "auto_promote", "reason"],
            schemas.GetProperty("StartDeploymentBody").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["id", "model", "mode", "state", "champion_version", "challenger_version", "share", "steps", "step", "step_started_at", "auto_promote", "reason", "created_at", "created_by", "updated_at", "ended_at"],
            schemas.GetProperty("DeploymentResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["deployment", "events", "shadow"], schemas.GetProperty("DeploymentDetailResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Interactive_docs_are_served_at_docs()
    {
        using var response = await _service.Client.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_answers_before_any_model_is_loaded()
    {
        using var response = await _service.Client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_reports_each_check()
    {
        using var response = await _service.Client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("registry store reachable and writable", body.GetProperty("checks").GetProperty("store").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Unknown_routes_are_problem_details()
    {
        using var response = await _service.Client.GetAsync("/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
