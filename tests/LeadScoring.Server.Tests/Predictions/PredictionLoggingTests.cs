using System.Net;
using LeadScoring.Core.Features;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>What the scoring routes write to the prediction log, on a real SQLite file beside the registry.</summary>
[Collection(ServerCollection.Name)]
public sealed class PredictionLoggingTests(TestPackages packages)
{
    [Fact]
    public async Task A_scored_lead_is_committed_with_the_request_id_the_clock_the_model_and_the_validated_features_before_the_200()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        await using var service = await RunningService.StartAsync(clock: clock);
        await service.DeployAsync(packages.First);

        var (status, body, response) = await LoggedPredictions.ScoreAsync(service.Client, "crm-1042", "req-fields-1");
        response.Dispose();
        // Read at once by another connection, as another process would: the 200 came after the commit.
        var logged = Assert.Single(await LoggedPredictions.ReadAllAsync(service.Storage)).Record;

        Assert.Equal(HttpStatusCode.OK, status);
        var package = ModelPackage.Load(packages.First);
        var features = new LeadFeatures(package.Schema.Features.Count);
        string?[] categories = ["referral", "form", null, null, null, "chat_conversation", "professional", "india", null, null, null];
        double[] numbers = [double.NaN, double.NaN, 4, 620, 2.5, double.NaN, double.NaN, double.NaN, double.NaN, 0, 1];
        categories.CopyTo(features.Categories, 0);
        numbers.CopyTo(features.Numbers, 0);
        Assert.Equal("req-fields-1", body.GetProperty("request_id").GetString());
        Assert.Equal(
            new PredictionRecord(
                "req-fields-1", "crm-1042", clock.GetUtcNow().AddTicks(-7), "lead-scoring", 1, ServingArms.Champion, body.GetProperty("score").GetDouble(),
                body.GetProperty("bucket").GetString()!, logged.LatencyMicroseconds, LeadFeaturesJson.Write(features, package.Schema)),
            logged);
        Assert.Equal(package.Scorer.Score(features), logged.Score);
    }

    [Fact]
    public async Task A_batch_is_one_unit_committed_together_under_one_request_id_and_scoring_latency_is_measured()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        var leads = Enumerable.Range(0, 50).Select(i => Json.SimulatedLead($"batch-{i}", "total_visits", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var (status, body, response) = await LoggedPredictions.ScoreAsync(service.Client, "", "req-batch-1", "/score-leads", "[" + string.Join(",", leads) + "]");
        response.Dispose();
        var logged = await LoggedPredictions.ReadAllAsync(service.Storage);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"batch-{i}"), logged.Select(p => p.Record.LeadId));
        Assert.All(logged, p => Assert.Equal("req-batch-1", p.Record.RequestId));
        Assert.Equal(body.EnumerateArray().Select(r => r.GetProperty("score").GetDouble()), logged.Select(p => p.Record.Score));
        // One transaction of one unit: consecutive ids, one scored-at.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => logged[0].Id + i), logged.Select(p => p.Id));
        Assert.Single(logged.Select(p => p.Record.ScoredAt).Distinct());
        Assert.Contains(logged, p => p.Record.LatencyMicroseconds > 0);
        Assert.All(logged, p => Assert.InRange(p.Record.LatencyMicroseconds, 0, 1_000_000));
    }

    [Fact]
    public async Task Rejected_and_unserved_requests_write_nothing()
    {
        await using var service = await RunningService.StartAsync();
        var (noModel, _, r1) = await LoggedPredictions.ScoreAsync(service.Client, "a", "req-none-1");
        await service.DeployAsync(packages.First);
        var (invalid, _, r2) = await LoggedPredictions.ScoreAsync(service.Client, "a", "req-none-2", body: Json.SimulatedLead("a", "total_visits", "\"four\""));
        var (invalidBatch, _, r3) = await LoggedPredictions.ScoreAsync(
            service.Client, "a", "req-none-3", "/score-leads", "[" + Json.SimulatedLead("a") + "," + Json.SimulatedLead("b", "country", "3") + "]");
        r1.Dispose();
        r2.Dispose();
        r3.Dispose();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, noModel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Equal(HttpStatusCode.BadRequest, invalidBatch);
        Assert.Empty(await LoggedPredictions.ReadAllAsync(service.Storage));
    }

    [Fact]
    public async Task Concurrent_requests_are_grouped_into_batches_and_counted_and_readiness_shows_the_log()
    {
        await using var service = await RunningService.StartAsync();
        await service.DeployAsync(packages.First);
        using var metrics = new PredictionMetricsCapture(service);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async client =>
        {
            var results = new List<HttpStatusCode>();
            for (var i = 0; i < 25; i++)
            {
                var (status, _, response) = await LoggedPredictions.ScoreAsync(service.Client, $"c{client}-{i}", $"req-c{client}-{i}");
                response.Dispose();
                results.Add(status);
            }

            return results;
        }));
        var logged = await LoggedPredictions.ReadAllAsync(service.Storage);
        var readiness = await LoggedPredictions.ReadinessAsync(service);

        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(400, logged.Count);
        Assert.Equal(400, logged.Select(p => p.Record.RequestId).Distinct().Count());
        Assert.Equal(400, metrics.Sum("leadscoring.predictions.rows"));
        Assert.Equal(400, metrics.BatchSizes().Sum());
        Assert.Equal(metrics.BatchSizes().Length, metrics.Sum("leadscoring.predictions.batches"));
        Assert.Equal(("Healthy", "prediction log writable; queue 0 of 8192 records; no scores served unlogged"), readiness);
    }

    [Fact]
    public async Task A_graceful_stop_drains_the_queue_so_every_200_is_committed_and_the_writer_logs_its_summary()
    {
        var service = await RunningService.StartAsync();
        try
        {
            await service.DeployAsync(packages.First);
            var ok = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var (status, _, response) = await LoggedPredictions.ScoreAsync(service.Client, $"d{client}-{i}", $"req-d{client}-{i}");
                        response.Dispose();
                        if (status == HttpStatusCode.OK)
                        {
                            ok.Add($"req-d{client}-{i}");
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server stopped listening
                    }
                }
            })).ToArray();

            while (ok.Count < 200)
            {
                await Task.Delay(10);
            }

            await service.StopAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
            var logged = (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.RequestId).ToHashSet();

            Assert.Subset(logged, ok.ToHashSet());
            var summary = Assert.Single(service.Logs.Records, r => r.Message.StartsWith("prediction log writer:", StringComparison.Ordinal));
            Assert.Contains($"{logged.Count} rows in", summary.Message, StringComparison.Ordinal);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_log_off_scores_are_served_and_nothing_is_recorded()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Predictions:Enabled"] = "false" });
        await service.DeployAsync(packages.First);

        var (status, _, response) = await LoggedPredictions.ScoreAsync(service.Client, "off-1", "req-off-1");
        response.Dispose();
        var readiness = await LoggedPredictions.ReadinessAsync(service);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await LoggedPredictions.ReadAllAsync(service.Storage));
        Assert.Equal(("Healthy", "prediction log off (LeadScoring:Predictions:Enabled=false): scores are not recorded"), readiness);
    }
}
