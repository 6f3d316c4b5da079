using System.Net;
using System.Text;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Scoring;

[Collection(ServerCollection.Name)]
public sealed class RequestLimitTests(TestPackages packages)
{
    [Fact]
    public async Task A_request_limit_above_kestrels_default_is_honoured()
    {
        // Kestrel refuses bodies over 30,000,000 bytes unless the route raises its own limit.
        const int Limit = 32 << 20;
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Scoring:MaxRequestBytes"] = $"{Limit}" });
        await service.DeployAsync(packages.First);
        var lead = Encoding.UTF8.GetBytes(Json.SimulatedLead());
        using var content = new ByteArrayContent([.. lead, .. Enumerable.Repeat((byte)' ', Limit - lead.Length)]);
        content.Headers.ContentType = new("application/json");

        using var response = await service.Client.PostAsync("/score-lead", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
