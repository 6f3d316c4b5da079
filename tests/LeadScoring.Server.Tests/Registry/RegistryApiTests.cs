using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Registry;

[Collection(ServerCollection.Name)]
public sealed class RegistryApiTests(TestPackages packages) : IAsyncLifetime
{
    private RunningService _service = null!;

    public async Task InitializeAsync() => _service = await RunningService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData(null, "Send the admin key in the X-Api-Key header.")]
    [InlineData("wrong", "The X-Api-Key header does not hold the admin key.")]
    public async Task Admin_routes_need_the_api_key(string? key, string detail)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/models");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await _service.Client.SendAsync(request);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Scoring_needs_no_api_key()
    {
        await _service.DeployAsync(packages.First);

        var (status, _, _) = await Json.PostAsync(_service.Client, "/score-lead", Json.SimulatedLead());

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_registered_version_can_be_listed_and_shown_with_its_lineage()
    {
        var version = await _service.RegisterAsync(packages.First, "?description=first%20try");

        var list = await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/models/lead-scoring/versions");
        var shown = await _service.Admin.GetFromJsonAsync<JsonElement>($"/registry/models/lead-scoring/versions/{version}");
        var models = await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/models");

        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal("None", shown.GetProperty("stage").GetString());
        Assert.Equal("first try", shown.GetProperty("description").GetString());
        Assert.Equal("api:alice", shown.GetProperty("created_by").GetString());
        Assert.Equal(64, shown.GetProperty("package_sha256").GetString()!.Length);
        var metadata = shown.GetProperty("metadata");
        Assert.Equal("simulated-leads", metadata.GetProperty("schema").GetProperty("name").GetString());
        Assert.True(metadata.GetProperty("data").GetProperty("train_rows").GetInt32() > 0);
        Assert.True(metadata.GetProperty("metrics").GetProperty("auc").GetDouble() > 0.5);
        Assert.Equal("lead-scoring", models[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_corrupt_package_is_rejected_and_the_registry_is_unchanged()
    {
        await _service.RegisterAsync(packages.First);
        var corrupt = packages.Second.ToArray();
        corrupt[corrupt.Length / 3] ^= 0x5A;

        using var content = new ByteArrayContent(corrupt);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await _service.Admin.PostAsync("/registry/models/lead-scoring/versions", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var versions = await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/models/lead-scoring/versions");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(Json.Errors(problem, "package"));
        Assert.Equal(1, versions.GetArrayLength());
    }

    [Fact]
    public async Task A_package_with_other_features_is_refused_unless_allowed()
    {
        await _service.RegisterAsync(packages.First);

        using var content = new ByteArrayContent(packages.OtherSchema);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var refused = await _service.Admin.PostAsync("/registry/models/lead-scoring/versions", content);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("dropped or retyped: requested_demo", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await _service.RegisterAsync(packages.OtherSchema, "?allow_schema_change=true"));
    }

    [Fact]
    public async Task Promotion_and_rollback_switch_the_served_model_and_are_audited()
    {
        var v1 = await _service.DeployAsync(packages.First);
        var v2 = await _service.RegisterAsync(packages.Second);
        await _service.PromoteAsync(v2, "better on recent leads");
        await _service.WaitUntilServingAsync(v2);

        using var rollback = await _service.Admin.PostAsJsonAsync("/registry/models/lead-scoring/rollback", new { reason = "conversion dropped" });
        await _service.WaitUntilServingAsync(v1);
        var audit = await _service.Admin.GetFromJsonAsync<JsonElement>("/registry/audit?model=lead-scoring");
        var served = await _service.Client.GetFromJsonAsync<JsonElement>("/model");

        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(v1, served.GetProperty("version").GetInt32());
        var entries = audit.EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "rollback" && e.GetProperty("reason").GetString() == "conversion dropped" && e.GetProperty("actor").GetString() == "api:alice");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "stage" && e.GetProperty("version").GetInt32() == v2 && e.GetProperty("to").GetString() == "Production" && e.GetProperty("reason").GetString() == "better on recent leads");
    }

    [Fact]
    public async Task Rolling_back_with_nothing_to_roll_back_to_is_a_conflict()
    {
        await _service.DeployAsync(packages.First);

        using var response = await _service.Admin.PostAsJsonAsync("/registry/models/lead-scoring/rollback", new { reason = "why not" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Aliases_can_be_set_and_removed()
    {
        var v1 = await _service.RegisterAsync(packages.First);

        using var set = await _service.Admin.PutAsJsonAsync("/registry/models/lead-scoring/aliases/challenger", new { version = v1, reason = "shadow it" });
        var shown = await _service.Admin.GetFromJsonAsync<JsonElement>($"/registry/models/lead-scoring/versions/{v1}");
        using var removed = await _service.Admin.DeleteAsync("/registry/models/lead-scoring/aliases/challenger");
        using var again = await _service.Admin.DeleteAsync("/registry/models/lead-scoring/aliases/challenger");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(["challenger"], shown.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("/registry/models/nope/versions", HttpStatusCode.NotFound)]
    [InlineData("/registry/models/lead-scoring/versions/99", HttpStatusCode.NotFound)]
    [InlineData("/registry/audit?limit=0", HttpStatusCode.BadRequest)]
    public async Task Unknown_models_and_bad_queries_are_problems(string path, HttpStatusCode expected)
    {
        await _service.RegisterAsync(packages.First);

        using var response = await _service.Admin.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_stage_names_the_field()
    {
        var v1 = await _service.RegisterAsync(packages.First);

        using var response = await _service.Admin.PostAsJsonAsync($"/registry/models/lead-scoring/versions/{v1}/stage", new { stage = "Heaven" });
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["'Heaven' is not a stage; expected None, Staging, Production or Archived"], Json.Errors(problem, "stage"));
    }

    [Fact]
    public async Task An_empty_upload_names_the_package_field()
    {
        using var content = new ByteArrayContent([]);
        using var response = await _service.Admin.PostAsync("/registry/models/lead-scoring/versions", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(Json.Errors(problem, "package"));
    }
}
