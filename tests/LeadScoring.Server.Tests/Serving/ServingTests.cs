using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Serving;

[Collection(ServerCollection.Name)]
public sealed class ServingTests(TestPackages packages)
{
    [Fact]
    public async Task Without_a_model_scoring_is_503_and_the_service_is_live_but_not_ready()
    {
        await using var service = await RunningService.StartAsync();

        var (status, problem, _) = await Json.PostAsync(service.Client, "/score-lead", Json.SimulatedLead());
        using var live = await service.Client.GetAsync("/health/live");
        using var ready = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("No model is being served", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task The_model_route_describes_what_a_request_must_contain()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);

        var model = await service.Client.GetFromJsonAsync<JsonElement>("/model");
        using var ready = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("lead-scoring", model.GetProperty("name").GetString());
        Assert.Equal("Production", model.GetProperty("stage").GetString());
        var features = model.GetProperty("schema").GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(11, features.Count);
        Assert.Equal(("total_visits", "numeric"), (features[2].GetProperty("name").GetString(), features[2].GetProperty("type").GetString()));
        Assert.Contains("referral", features[0].GetProperty("known_categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("boolean", features[10].GetProperty("type").GetString());
        Assert.Equal(["hot", "warm", "cold"], model.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Promotions_and_rollbacks_under_load_fail_no_request()
    {
        await using var service = await RunningService.StartAsync();
        var v1 = await service.DeployAsync(packages.First);
        var v2 = await service.RegisterAsync(packages.Second);
        var failures = new ConcurrentQueue<string>();
        var versions = new ConcurrentDictionary<int, int>();
        var requests = 0;
        using var stop = new CancellationTokenSource();

        async Task Hammer()
        {
            while (!stop.IsCancellationRequested)
            {
                var (status, body, _) = await Json.PostAsync(service.Client, "/score-lead", Json.SimulatedLead());
                Interlocked.Increment(ref requests);
                if (status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)status}");
                }
                else
                {
                    versions.AddOrUpdate(body.GetProperty("model").GetProperty("version").GetInt32(), 1, (_, n) => n + 1);
                }
            }
        }

        // Each switch happens while the loops are scoring, and each version then serves a share of the load.
        async Task ServedAtLeast(int version, int extra)
        {
            var target = versions.GetValueOrDefault(version) + extra;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (versions.GetValueOrDefault(version) < target && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }

        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(Hammer)).ToArray();
        await ServedAtLeast(v1, 50);
        for (var round = 0; round < 3; round++)
        {
            await service.PromoteAsync(v2);
            await service.WaitUntilServingAsync(v2);
            await ServedAtLeast(v2, 50);
            using var rollback = await service.Admin.PostAsJsonAsync("/registry/models/lead-scoring/rollback", new { reason = "drill" });
            await service.WaitUntilServingAsync(v1);
            await ServedAtLeast(v1, 50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(versions.GetValueOrDefault(v1) >= 200 && versions.GetValueOrDefault(v2) >= 150, $"{requests} requests: v1 served {versions.GetValueOrDefault(v1)}, v2 {versions.GetValueOrDefault(v2)}");
    }

    [Fact]
    public async Task A_change_made_outside_this_instance_is_picked_up_by_polling()
    {
        await using var service = await RunningService.StartAsync();
        var v1 = await service.DeployAsync(packages.First);
        var v2 = await service.RegisterAsync(packages.Second);

        // As another instance or the CLI would: straight to the store, not through this service's API.
        await service.Registry.TransitionAsync(RunningService.ModelName, v2, Storage.Registry.ModelStage.Production, "cli:bob", "from elsewhere");

        await service.WaitUntilServingAsync(v2);
        Assert.NotEqual(v1, v2);
    }

    [Fact]
    public async Task A_fresh_install_trains_registers_and_promotes_a_first_model()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["LeadScoring:Bootstrap:Enabled"] = "true",
            ["LeadScoring:Bootstrap:Rows"] = "3000",
        });

        await service.WaitUntilServingAsync(1);
        var production = await service.Registry.GetProductionAsync(RunningService.ModelName);
        var audit = await service.Registry.GetAuditLogAsync(RunningService.ModelName);
        var (status, _, _) = await Json.PostAsync(service.Client, "/score-lead", Json.SimulatedLead());

        Assert.NotNull(production);
        Assert.Equal(1, production.Version);
        Assert.Contains("champion", production.Aliases);
        Assert.All(audit, e => Assert.Equal("system:bootstrap", e.Actor));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_x_education_flow_trains_registers_serves_promotes_and_rolls_back()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Serving:ModelName"] = "lead-scoring" });
        var v1 = await service.DeployAsync(packages.XEducation);
        var lead = """
            {"lead_id": "7927b2df", "features": {
              "Lead Origin": "Landing Page Submission", "Lead Source": "Google", "Do Not Email": "No", "Do Not Call": "No",
              "TotalVisits": 5, "Total Time Spent on Website": 1200, "Page Views Per Visit": 2.5, "Country": "India",
              "Specialization": "Select", "How did you hear about X Education": null, "What is your current occupation": "Working Professional",
              "What matters most to you in choosing a course": "Better Career Prospects", "Search": false, "Newspaper Article": false,
              "X Education Forums": false, "Newspaper": false, "Digital Advertisement": false, "Through Recommendations": false,
              "City": "Mumbai", "A free copy of Mastering The Interview": true}}
            """;

        var (status, scored, _) = await Json.PostAsync(service.Client, "/score-lead", lead);
        var v2 = await service.RegisterAsync(packages.XEducation);
        await service.PromoteAsync(v2);
        await service.WaitUntilServingAsync(v2);
        using var rollback = await service.Admin.PostAsJsonAsync("/registry/models/lead-scoring/rollback", new { reason = "drill" });
        await service.WaitUntilServingAsync(v1);
        var (_, again, _) = await Json.PostAsync(service.Client, "/score-lead", lead);

        Assert.Equal(HttpStatusCode.OK, status);
        // A working professional who spent 20 minutes on the site is a hot lead in this data.
        Assert.True(scored.GetProperty("score").GetDouble() > 0.7, $"score {scored.GetProperty("score").GetDouble()}");
        Assert.Equal(v1, again.GetProperty("model").GetProperty("version").GetInt32());
        Assert.Equal(scored.GetProperty("score").GetDouble(), again.GetProperty("score").GetDouble());
    }
}
