using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Metrics;

public sealed class MetricsOptionsTests
{
    [Fact]
    public async Task Disabled_metrics_have_no_route()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Metrics:Enabled"] = "false" });

        using var response = await service.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Enabled", "maybe", "'LeadScoring:Metrics:Enabled'")]
    [InlineData("Enable", "false", "'Enable'")]
    public async Task An_unreadable_or_misspelt_metrics_setting_stops_the_service_naming_it(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Metrics:" + key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
