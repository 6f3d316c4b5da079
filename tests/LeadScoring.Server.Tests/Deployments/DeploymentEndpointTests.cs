using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Deployments;

/// <summary>/deployments refuses every bad input with a 400 naming the field, conflicts with 409, unknown ids with 404, and writes nothing then.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeploymentEndpointTests(TestPackages packages)
{
    private const string Model = RunningService.ModelName;

    public static TheoryData<string, string> BadBodies => new()
    {
        { "", "body" },
        { "[1]", "body" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 2, \"colour\": \"blue\"}", "colour" },
        { "{\"mode\": \"ab\", \"challenger_version\": 2}", "model" },
        { "{\"model\": 7, \"mode\": \"ab\", \"challenger_version\": 2}", "model" },
        { "{\"model\": \"lead/scoring\", \"mode\": \"ab\", \"challenger_version\": 2}", "model" },
        { "{\"model\": \"no-such-model\", \"mode\": \"ab\", \"challenger_version\": 2}", "model" },
        { "{\"model\": \"lead-scoring\", \"challenger_version\": 2}", "mode" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"blue-green\", \"challenger_version\": 2}", "mode" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\"}", "challenger_version" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": \"2\"}", "challenger_version" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 2.5}", "challenger_version" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 1}", "challenger_version" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 99}", "challenger_version" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 2, \"share\": 1.5}", "share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 2, \"share\": 0}", "share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"ab\", \"challenger_version\": 2, \"share\": \"half\"}", "share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": {}}", "steps" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [1]}", "steps[0]" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": []}", "steps" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"duration\": \"1.00:00:00\"}, {\"share\": 1}]}", "steps[0].share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5, \"duration\": \"1.00:00:00\"}, {\"share\": 0.2, \"duration\": \"1.00:00:00\"}, {\"share\": 1}]}", "steps[1].share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5, \"duration\": \"1.00:00:00\"}, {\"share\": 0.9}]}", "steps[1].share" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5, \"duration\": \"tomorrow\"}, {\"share\": 1}]}", "steps[0].duration" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5}, {\"share\": 1}]}", "steps[0].duration" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5, \"duration\": \"-1.00:00:00\"}, {\"share\": 1}]}", "steps[0].duration" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 0.5, \"duration\": \"1.00:00:00\"}, {\"share\": 1, \"duration\": \"1.00:00:00\"}]}", "steps[1].duration" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"steps\": [{\"share\": 1, \"wait\": 3}]}", "steps[0].wait" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"auto_promote\": \"yes\"}", "auto_promote" },
        { "{\"model\": \"lead-scoring\", \"mode\": \"canary\", \"challenger_version\": 2, \"reason\": 3}", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_start_is_a_400_naming_the_field_and_starts_nothing(string body, string field)
    {
        await using var service = await DeploymentService.StartAsync(packages);

        var (status, problem, _) = await Json.PostAsync(service.Service.Admin, "/deployments", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(Json.Errors(problem, field));
        Assert.Equal("[]", await service.Service.Admin.GetStringAsync("/deployments"));
        Assert.Null(service.Serving.Snapshot!.Deployment);
    }

    [Fact]
    public async Task Conflicts_are_409_unknown_ids_404_a_missing_key_401_and_bad_queries_400()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var admin = service.Service.Admin;

        // No admin key: 401 on every route.
        foreach (var (method, path) in new[] { ("GET", "/deployments"), ("POST", "/deployments"), ("GET", "/deployments/1"), ("POST", "/deployments/1/approve"), ("POST", "/deployments/1/abort") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await service.Service.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Single mode with nothing active: nothing to end.
        await service.PostAsync("/deployments", new { model = Model, mode = "single" }, HttpStatusCode.Conflict);

        var canary = await service.PostAsync("/deployments", new { model = Model, mode = "canary", challenger_version = 2 });
        var id = canary.GetProperty("id").GetInt64();
        await service.PostAsync("/deployments", new { model = Model, mode = "ab", challenger_version = 2 }, HttpStatusCode.Conflict);
        var early = await service.PostAsync($"/deployments/{id}/approve", new { }, HttpStatusCode.Conflict);
        Assert.Contains("last step", early.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var path in new[] { "/deployments/999/approve", "/deployments/999/abort" })
        {
            await service.PostAsync(path, new { }, HttpStatusCode.NotFound);
        }

        using (var missing = await admin.GetAsync("/deployments/999"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        foreach (var query in new[] { "?limit=0", "?limit=1001" })
        {
            using var response = await admin.GetAsync("/deployments" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotEmpty(Json.Errors(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, "limit"));
        }

        using (var longActor = new HttpRequestMessage(HttpMethod.Post, $"/deployments/{id}/abort"))
        {
            longActor.Headers.Add("X-Actor", new string('a', 101));
            using var response = await admin.SendAsync(longActor);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotEmpty(Json.Errors(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, "X-Actor"));
        }

        // Mode single ends the active deployment (an abort); ending it again is a conflict.
        var ended = await service.PostAsync("/deployments", new { model = Model, mode = "single", reason = "enough" }, HttpStatusCode.OK);
        Assert.Equal((id, "aborted"), (ended.GetProperty("id").GetInt64(), ended.GetProperty("state").GetString()));
        Assert.Null(service.Serving.Snapshot!.Deployment);
        await service.PostAsync($"/deployments/{id}/abort", new { }, HttpStatusCode.Conflict);
        await service.PostAsync($"/deployments/{id}/approve", new { }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Deployments_are_listed_newest_first_and_a_shadow_shows_its_counts()
    {
        await using var service = await DeploymentService.StartAsync(packages);
        var ab = await service.PostAsync("/deployments", new { model = Model, mode = "ab", challenger_version = 2, share = 0.25 });
        await service.PostAsync($"/deployments/{ab.GetProperty("id").GetInt64()}/abort", new { reason = "switch to shadow" }, HttpStatusCode.OK);
        var shadow = await service.PostAsync("/deployments", new { model = Model, mode = "shadow", challenger_version = 2 });
        var id = shadow.GetProperty("id").GetInt64();
        Assert.True(service.Serving.Snapshot!.Deployment!.IsShadow);

        await service.ScoreAsync(300);
        var scorer = service.Service.Services.GetRequiredService<LeadScoring.Server.Serving.ShadowScorer>();
        await Serving.ArmService.EventuallyAsync(() => scorer.Counts.Completed == 300, "the shadow scored every lead");
        await DeploymentService.AdvanceAsync(service.Clock, TimeSpan.FromMinutes(1), service);

        var listed = JsonDocument.Parse(await service.Service.Admin.GetStringAsync($"/deployments?model={Model}&limit=10")).RootElement;
        Assert.Equal(["shadow", "ab"], listed.EnumerateArray().Select(d => d.GetProperty("mode").GetString()));
        Assert.Equal(["active", "aborted"], listed.EnumerateArray().Select(d => d.GetProperty("state").GetString()));
        var status = await service.GetAsync(id);
        Assert.Equal("active", status.GetProperty("deployment").GetProperty("state").GetString());
        var counts = status.GetProperty("shadow");
        Assert.Equal(300, counts.GetProperty("requests").GetInt64());
        Assert.Equal(0, counts.GetProperty("errors").GetInt64());
        Assert.Equal(300, counts.GetProperty("replica").GetProperty("completed").GetInt64());
        Assert.Equal(JsonValueKind.Null, (await service.GetAsync(ab.GetProperty("id").GetInt64())).GetProperty("shadow").ValueKind);
    }
}
