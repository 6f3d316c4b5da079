using LeadScoring.Storage.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

public sealed class AlertChannelOptionsTests
{
    [Fact]
    public void With_nothing_set_no_channel_is_configured()
    {
        using var services = DeliveryServices.Build(new Dictionary<string, string?>(), new FakeTimeProvider(), new AllLogs());
        var registry = services.GetRequiredService<AlertChannelRegistry>();

        Assert.Empty(registry.Configured);
        Assert.All(AlertChannels.All, name => Assert.False(registry.IsConfigured(name)));
    }

    [Fact]
    public void A_channel_is_configured_only_with_its_required_settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Channels:PagerDuty:RoutingKey"] = DeliveryServices.RoutingKey,
            ["LeadScoring:Alerting:Channels:Email:Host"] = "smtp.example.com",
            ["LeadScoring:Alerting:Channels:Email:From"] = "alerts@example.com",
            ["LeadScoring:Alerting:Channels:Email:To:0"] = "oncall@example.com",
        };
        using var services = DeliveryServices.Build(settings, new FakeTimeProvider(), new AllLogs());
        var registry = services.GetRequiredService<AlertChannelRegistry>();

        Assert.Equal(["email", "pagerduty"], registry.Configured);
        Assert.False(registry.IsConfigured("slack"));
        Assert.Equal(587, services.GetRequiredService<IOptions<AlertChannelOptions>>().Value.Email.Port);
        Assert.Equal(PagerDutyChannelOptions.DefaultEventsUrl, services.GetRequiredService<IOptions<AlertChannelOptions>>().Value.PagerDuty.EventsUrl);
    }

    [Fact]
    public void Bad_settings_are_refused_each_naming_its_key_and_a_bad_webhook_without_showing_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Channels:Slack:WebhookUrl"] = "hooks.slack.com/services/SECRET-not-a-url",
            ["LeadScoring:Alerting:Channels:PagerDuty:EventsUrl"] = "ftp://events.example.com",
            ["LeadScoring:Alerting:Channels:LinkBaseUrl"] = "scoring",
            ["LeadScoring:Alerting:Channels:Email:Host"] = "smtp.example.com",
            ["LeadScoring:Alerting:Channels:Email:To:0"] = "not an address",
            ["LeadScoring:Alerting:Channels:Email:User"] = "alerts",
        };
        using var services = DeliveryServices.Build(settings, new FakeTimeProvider(), new AllLogs());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertChannelOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:Slack:WebhookUrl must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:PagerDuty:EventsUrl must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:LinkBaseUrl", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:Email:From is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:Email:To:0 must be an email address", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("LeadScoring:Alerting:Channels:Email:Password", StringComparison.Ordinal));
        DeliveryServices.AssertNoSecret(error.Message);
    }

    [Fact]
    public void Bad_delivery_settings_are_refused_each_naming_its_key()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Delivery:PollInterval"] = "00:00:00",
            ["LeadScoring:Alerting:Delivery:MaxAttempts"] = "0",
            ["LeadScoring:Alerting:Delivery:BackoffBase"] = "02:00:00",
            ["LeadScoring:Alerting:Delivery:Lease"] = "00:00:10",
        };
        using var services = DeliveryServices.Build(settings, new FakeTimeProvider(), new AllLogs());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value);

        Assert.Equal(
            ["PollInterval", "MaxAttempts", "BackoffBase", "Lease"],
            error.Failures.Select(f => f["LeadScoring:Alerting:Delivery:".Length..].Split(' ')[0]));
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_a_bad_channel_url_and_names_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Channels:PagerDuty:EventsUrl"] = "not a url",
        }));

        Assert.Contains("LeadScoring:Alerting:Channels:PagerDuty:EventsUrl must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backoff_doubles_from_the_base_with_a_reproducible_jitter_up_to_the_cap()
    {
        var waits = Enumerable.Range(1, 10).Select(a => DeliveryBackoff.Delay(7, a, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30))).ToList();

        for (var i = 0; i < 6; i++)
        {
            var expected = TimeSpan.FromSeconds(30 * Math.Pow(2, i));
            Assert.InRange(waits[i], expected * 0.9, expected * 1.1);
        }

        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromMinutes(30)));
        Assert.InRange(waits[9], TimeSpan.FromMinutes(27), TimeSpan.FromMinutes(30));
        Assert.Equal(waits, Enumerable.Range(1, 10).Select(a => DeliveryBackoff.Delay(7, a, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30))));
        Assert.NotEqual(waits[0], DeliveryBackoff.Delay(8, 1, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)));
    }
}
