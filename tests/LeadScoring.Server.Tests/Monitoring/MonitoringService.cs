using System.Net;
using System.Text;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Monitoring;

/// <summary>The real service on a fake clock with the simulated-leads model in Production, scoring simulated leads over HTTP.</summary>
internal sealed class MonitoringService : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private MonitoringService(RunningService service, FakeTimeProvider clock) => (Service, Clock) = (service, clock);

    public RunningService Service { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<MonitoringService> StartAsync(TestPackages packages, IDictionary<string, string?>? settings = null, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var service = await RunningService.StartAsync(settings, clock: clock);
        await service.DeployAsync(packages.First);
        return new MonitoringService(service, clock);
    }

    /// <summary>Scores <paramref name="count"/> simulated leads of <paramref name="scenario"/> through POST /score-leads (logged at the fake clock's now).</summary>
    public async Task ScoreAsync(int count, int seed, Scenario scenario = Scenario.Baseline)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(count, Seed: seed, Scenario: scenario)).Table;
        for (var start = 0; start < count; start += 100)
        {
            var batch = new StringBuilder("[");
            for (var i = start; i < Math.Min(count, start + 100); i++)
            {
                batch.Append(i == start ? "" : ",").Append($$"""{"lead_id": "{{table.Ids![i]}}", "features": {{Features(table, i)}}}""");
            }

            var (status, _, _) = await Json.PostAsync(Service.Client, "/score-leads", batch.Append(']').ToString());
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();

    private static string Features(LeadTable table, int row)
    {
        var features = table.FeaturesOf(row);
        return LeadFeaturesJson.Write(features, table.Schema);
    }
}
