using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Retraining;

/// <summary>
/// /retraining/runs over HTTP with the worker off (runs stay queued): the admin key, every refusal as a problem naming
/// its field, one unfinished run per model, the list's filters and pages, and the steps refused in the wrong state.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetrainingEndpointTests(TestPackages packages)
{
    private static readonly Dictionary<string, string?> WorkerOff = new() { ["LeadScoring:Retraining:Enabled"] = "false" };

    [Fact]
    public async Task Every_route_needs_the_admin_key()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        using var wrongKey = new HttpClient { BaseAddress = service.Service.Address };
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key-0123456789");
        foreach (var client in new[] { service.Service.Client, wrongKey })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Post, "/retraining/runs"), (HttpMethod.Get, "/retraining/runs"), (HttpMethod.Get, "/retraining/runs/1"), (HttpMethod.Post, "/retraining/runs/1/approve"), (HttpMethod.Post, "/retraining/runs/1/cancel") })
            {
                var (status, body) = await service.SendAsync(method, path, method == HttpMethod.Post ? "{}" : null, client);
                Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{method} {path}: {(int)status} {body}");
            }
        }

        Assert.Empty((await service.GetAsync("/retraining/runs")).GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task A_bad_request_is_a_400_naming_the_field_and_nothing_is_queued()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        var cases = new (string Body, string Field, string? Says)[]
        {
            ("""{"trails": 5}""", "trails", "expected model, reason, seed, trials"),
            ("""{"trials": 0}""", "trials", "from 1 to 1000"),
            ("""{"trials": 1001}""", "trials", "from 1 to 1000"),
            ("""{"trials": 2.5}""", "trials", null),
            ("""{"trials": "9"}""", "trials", null),
            ("""{"seed": "x"}""", "seed", "whole number"),
            ("""{"model": "no spaces allowed"}""", "model", null),
            ("""{"model": 7}""", "model", null),
            ("[]", "body", null),
        };

        foreach (var (body, field, says) in cases)
        {
            var (status, problem) = await service.SendAsync(HttpMethod.Post, "/retraining/runs", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {(int)status} {problem}");
            var errors = Json.Errors(problem, field);
            Assert.True(errors.Length == 1, $"{body}: no error for {field} in {problem}");
            Assert.True(says is null || errors[0].Contains(says, StringComparison.Ordinal), $"{body}: '{errors[0]}' does not say '{says}'");
        }

        Assert.Empty((await service.GetAsync("/retraining/runs")).GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task A_second_request_while_one_is_unfinished_is_a_409_naming_the_active_run()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        var (status, first) = await service.SendAsync(HttpMethod.Post, "/retraining/runs", """{"reason": "drifting", "trials": 7, "seed": 5}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = first.GetProperty("id").GetInt64();
        Assert.Equal("queued", RetrainingService.Status(first));
        Assert.Equal("manual", first.GetProperty("trigger").GetString());
        Assert.Equal(RunningService.ModelName, first.GetProperty("model").GetString());
        Assert.Equal("api:alice", first.GetProperty("requested_by").GetString());
        Assert.Equal("drifting", first.GetProperty("reason").GetString());
        Assert.Equal(7, first.GetProperty("options").GetProperty("trials").GetInt32());
        Assert.Equal(5, first.GetProperty("options").GetProperty("seed").GetInt32());

        var (again, problem) = await service.SendAsync(HttpMethod.Post, "/retraining/runs", "{}");

        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal(id, problem.GetProperty("active_run_id").GetInt64());
        Assert.Single((await service.GetAsync("/retraining/runs")).GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_once_and_approving_a_run_not_awaiting_approval_is_a_409()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        var id = await service.RequestAsync();

        var (approve, refused) = await service.SendAsync(HttpMethod.Post, $"/retraining/runs/{id}/approve", """{"reason": "looks fine"}""");
        Assert.True(approve == HttpStatusCode.Conflict, $"{(int)approve} {refused}");
        Assert.Contains("queued", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (cancel, cancelled) = await service.SendAsync(HttpMethod.Post, $"/retraining/runs/{id}/cancel", """{"reason": "wrong week"}""");
        Assert.True(cancel == HttpStatusCode.OK, $"{(int)cancel} {cancelled}");
        Assert.Equal("cancelled", RetrainingService.Status(cancelled));
        Assert.True(cancelled.GetProperty("finished").GetBoolean());

        var (twice, problem) = await service.SendAsync(HttpMethod.Post, $"/retraining/runs/{id}/cancel", "{}");
        Assert.True(twice == HttpStatusCode.Conflict, $"{(int)twice} {problem}");
        var detail = await service.RunAsync(id);
        Assert.Equal(["queued", "cancelled"], RetrainingService.Steps(detail));
        Assert.Equal("api:alice", detail.GetProperty("events")[1].GetProperty("actor").GetString());

        // Cancelled is finished: another run may be requested.
        Assert.NotEqual(id, await service.RequestAsync());
    }

    [Fact]
    public async Task Unknown_runs_are_404s()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/retraining/runs/999"), (HttpMethod.Post, "/retraining/runs/999/approve"), (HttpMethod.Post, "/retraining/runs/999/cancel") })
        {
            var (status, problem) = await service.SendAsync(method, path, method == HttpMethod.Post ? "{}" : null);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path}: {(int)status} {problem}");
            Assert.Contains("999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_list_filters_by_status_and_trigger_pages_newest_first_and_refuses_a_bad_filter()
    {
        await using var service = await RetrainingService.StartAsync(packages, WorkerOff);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await service.RequestAsync($$"""{"reason": "run {{i}}"}"""));
            if (i < 2)
            {
                var (status, _) = await service.SendAsync(HttpMethod.Post, $"/retraining/runs/{ids[^1]}/cancel", "{}");
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }

        long[] Ids(System.Text.Json.JsonElement page) => [.. page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
        Assert.Equal([ids[2], ids[1], ids[0]], Ids(await service.GetAsync("/retraining/runs")));
        Assert.Equal([ids[1], ids[0]], Ids(await service.GetAsync("/retraining/runs?status=cancelled")));
        Assert.Equal([ids[2]], Ids(await service.GetAsync("/retraining/runs?status=queued")));
        Assert.Equal(3, Ids(await service.GetAsync("/retraining/runs?trigger=manual")).Length);
        Assert.Empty(Ids(await service.GetAsync("/retraining/runs?trigger=drift")));
        Assert.Empty(Ids(await service.GetAsync("/retraining/runs?model=another-model")));

        var first = await service.GetAsync("/retraining/runs?page_size=2");
        Assert.Equal([ids[2], ids[1]], Ids(first));
        var next = first.GetProperty("next_before").GetInt64();
        var second = await service.GetAsync($"/retraining/runs?page_size=2&before={next}");
        Assert.Equal([ids[0]], Ids(second));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next_before").ValueKind);

        foreach (var (query, field, says) in new[] { ("status=running", "status", "queued, preparing_data"), ("trigger=cron", "trigger", "manual, drift, schedule"), ("page_size=0", "page_size", null), ("page_size=501", "page_size", null), ("before=x", "before", null) })
        {
            var (status, problem) = await service.SendAsync(HttpMethod.Get, "/retraining/runs?" + query);
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status} {problem}");
            var errors = Json.Errors(problem, field);
            Assert.True(errors.Length == 1, $"{query}: no error for {field} in {problem}");
            Assert.True(says is null || errors[0].Contains(says, StringComparison.Ordinal), $"{query}: '{errors[0]}' does not say '{says}'");
        }
    }
}
