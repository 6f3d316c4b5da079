using System.Text.Json;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

/// <summary>Two replicas' workers on one PostgreSQL database: the leases give every delivery to one of them, once.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresAlertDeliveryTests(PostgresTestCluster cluster)
{
    private const int Subjects = 20;

    [Fact]
    public async Task Two_workers_passing_at_once_deliver_each_message_exactly_once()
    {
        var database = await cluster.CreateDatabaseAsync("delivery");
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var pagerDuty = await FakeHttpReceiver.StartAsync(202);
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        var settings = DeliveryServices.Settings(slack, smtp, pagerDuty);
        settings["LeadScoring:Alerting:Delivery:BatchSize"] = "7";
        var clock = new FakeTimeProvider(DeliveryServices.Start);
        await using var first = WorkerHarness.Create(settings, database, clock);
        await using var second = WorkerHarness.Create(settings, database, clock);
        Assert.NotEqual(first.Worker.WorkerId, second.Worker.WorkerId);
        for (var i = 0; i < Subjects; i++)
        {
            await first.BreachAsync(subject: $"lead-scoring/feature_{i:D2}");
        }

        var passes = new List<DeliveryPass>();
        while (true)
        {
            var both = await Task.WhenAll(first.Worker.RunOnceAsync(CancellationToken.None), second.Worker.RunOnceAsync(CancellationToken.None));
            passes.AddRange(both);
            if (both.All(p => p.Claimed == 0))
            {
                break;
            }
        }

        Assert.Equal(3 * Subjects, passes.Sum(p => p.Sent));
        Assert.Equal(3 * Subjects, passes.Sum(p => p.Claimed));
        Assert.Equal(Subjects, smtp.Messages.Select(m => m.Subject).Distinct().Count());
        Assert.Equal(Subjects, smtp.Messages.Count);
        Assert.Equal(Subjects, slack.Requests.Count);
        Assert.Equal(Subjects, pagerDuty.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("dedup_key").GetString()).Distinct().Count());
        Assert.Equal(Subjects, pagerDuty.Requests.Count);
        Assert.Null(await first.Store.NextDueAtAsync());
    }
}
