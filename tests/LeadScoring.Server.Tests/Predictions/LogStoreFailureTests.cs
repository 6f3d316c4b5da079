using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>
/// A prediction log that really cannot be written (its data directory remounted read-only): fail-closed answers
/// 503 naming the cause and readiness turns Unhealthy; serve-unlogged answers 200, counts every unlogged score and
/// readiness says Degraded with the count and the cause. Both recover once the disk is writable again.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LogStoreFailureTests(TestPackages packages)
{
    [Fact]
    public async Task Fail_closed_answers_503_with_retry_after_naming_the_cause_and_is_unready_until_the_log_is_writable()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = disk.Path });
        await service.DeployAsync(packages.First);
        var (before, _, r0) = await LoggedPredictions.ScoreAsync(service.Client, "fc-0", "req-fc-0");

        disk.RemountReadOnly();
        var (status, problem, response) = await LoggedPredictions.ScoreAsync(service.Client, "fc-1", "req-fc-1");
        var (batchStatus, _, r2) = await LoggedPredictions.ScoreAsync(service.Client, "", "req-fc-2", "/score-leads", $"[{Json.SimulatedLead("fc-2")}]");
        var unready = await LoggedPredictions.ReadinessAsync(service);
        disk.RemountReadWrite();
        var (after, _, r3) = await LoggedPredictions.ScoreAsync(service.Client, "fc-3", "req-fc-3");
        var ready = await LoggedPredictions.ReadinessAsync(service);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Prediction log unavailable", problem.GetProperty("title").GetString());
        Assert.StartsWith("The prediction log cannot be written: the store is read-only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, batchStatus);
        Assert.Equal(("Unhealthy", "prediction log not writable: the store is read-only; queue 0 of 8192 records; no scores served unlogged"), unready);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(("Healthy", "prediction log writable; queue 0 of 8192 records; no scores served unlogged"), ready);
        Assert.Equal(["req-fc-0", "req-fc-3"], (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.RequestId));
        foreach (var r in new[] { r0, response, r2, r3 })
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Serve_unlogged_answers_200_counts_every_unlogged_score_and_readiness_reports_them_as_degraded()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = disk.Path,
            ["LeadScoring:Predictions:OnStoreFailure"] = "Serve-Unlogged",
        });
        await service.DeployAsync(packages.First);
        using var metrics = new PredictionMetricsCapture(service);

        disk.RemountReadOnly();
        var (single, body, r1) = await LoggedPredictions.ScoreAsync(service.Client, "su-1", "req-su-1");
        var (batch, _, r2) = await LoggedPredictions.ScoreAsync(service.Client, "", "req-su-2", "/score-leads", $"[{Json.SimulatedLead("su-2")},{Json.SimulatedLead("su-3")}]");
        var failing = await LoggedPredictions.ReadinessAsync(service);
        disk.RemountReadWrite();
        var (logged, _, r3) = await LoggedPredictions.ScoreAsync(service.Client, "su-4", "req-su-4");
        var recovered = await LoggedPredictions.ReadinessAsync(service);

        Assert.Equal(HttpStatusCode.OK, single);
        Assert.InRange(body.GetProperty("score").GetDouble(), 0, 1);
        Assert.Equal(HttpStatusCode.OK, batch);
        Assert.Equal(HttpStatusCode.OK, logged);
        Assert.Equal(3, metrics.Sum("leadscoring.predictions.unlogged"));
        Assert.Equal(2, metrics.Sum("leadscoring.predictions.failed_batches"));
        Assert.Equal("Degraded", failing.Status);
        Assert.StartsWith("prediction log not writable: the store is read-only; queue 0 of 8192 records; 3 scores served unlogged since start (OnStoreFailure=serve-unlogged), from ", failing.Description, StringComparison.Ordinal);
        Assert.EndsWith(", last because the store is read-only", failing.Description, StringComparison.Ordinal);
        Assert.Equal("Degraded", recovered.Status);
        Assert.StartsWith("prediction log writable; queue 0 of 8192 records; 3 scores served unlogged since start", recovered.Description, StringComparison.Ordinal);
        Assert.Equal(["req-su-4"], (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.RequestId));
        foreach (var r in new[] { r1, r2, r3 })
        {
            r.Dispose();
        }
    }
}
