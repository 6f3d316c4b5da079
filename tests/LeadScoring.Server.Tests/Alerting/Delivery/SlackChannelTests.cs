using System.Diagnostics;
using System.Text.Json;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

public sealed class SlackChannelTests
{
    [Fact]
    public async Task A_trigger_is_posted_to_the_webhook_as_text_and_blocks_with_every_field_the_figures_and_the_link()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(slack, null, null), new FakeTimeProvider(DeliveryServices.Start), logs);

        await services.Channel("slack").SendAsync(DeliveryServices.Sample("slack", AlertEvent.Trigger), CancellationToken.None);

        var (path, body) = Assert.Single(slack.Requests);
        Assert.Equal(DeliveryServices.SlackSecretPath, path);
        using var json = JsonDocument.Parse(body);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith("[CRITICAL] feature_drift on lead-scoring/lead_source: PSI of lead_source is 0.31", text, StringComparison.Ordinal);
        var blocks = json.RootElement.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("[CRITICAL] feature_drift on lead-scoring/lead_source", blocks[0].GetProperty("text").GetProperty("text").GetString());
        // Slack's mrkdwn escapes: the summary's < & > are shown, not read as markup.
        Assert.Equal("PSI of lead_source is 0.31 (threshold 0.25) &lt;since v3 &amp; rising&gt;", blocks[1].GetProperty("text").GetProperty("text").GetString());
        var fields = blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Equal(["*Level*\nCRITICAL", "*Event*\nfiring", "*Rule*\nfeature_drift", "*Subject*\nlead-scoring/lead_source", "*Model*\nlead-scoring"], fields);
        var figures = blocks[3].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("psi: `0.31`", figures, StringComparison.Ordinal);
        Assert.Contains("threshold: `0.25`", figures, StringComparison.Ordinal);
        Assert.Contains("feature: `lead_source &lt;b&gt;x&lt;/b&gt;`", figures, StringComparison.Ordinal);
        Assert.Equal("<https://scoring.example.com/alerts/42|Open the alert>", blocks[4].GetProperty("text").GetProperty("text").GetString());
        DeliveryServices.AssertNoSecret(logs.AllText);
    }

    [Fact]
    public async Task A_resolve_says_resolved_in_its_title_and_event()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(200);
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(slack, null, null), new FakeTimeProvider(DeliveryServices.Start), new AllLogs());

        await services.Channel("slack").SendAsync(DeliveryServices.Sample("slack", AlertEvent.Resolve), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(slack.Requests).Body);
        Assert.Equal("[CRITICAL] feature_drift on lead-scoring/lead_source (resolved)", json.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("*Event*\nresolved", json.RootElement.GetProperty("blocks")[2].GetRawText().Replace("\\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_is_retried_twice_in_the_call_on_the_real_clock_though_the_host_clock_is_fake_then_fails_without_the_secret()
    {
        await using var slack = await FakeHttpReceiver.StartAsync(503);
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(slack, null, null), new FakeTimeProvider(DeliveryServices.Start), logs);

        // Nobody advances the fake clock: were Polly's delays on it, this would never return.
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("slack").SendAsync(DeliveryServices.Sample("slack", AlertEvent.Trigger), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(3, slack.Requests.Count);
        Assert.StartsWith("slack answered 503", error.Message, StringComparison.Ordinal);
        DeliveryServices.AssertNoSecret(error.ToString());
        DeliveryServices.AssertNoSecret(logs.AllText);
    }

    [Fact]
    public async Task A_closed_port_is_an_error_naming_no_secret()
    {
        var slack = await FakeHttpReceiver.StartAsync(200);
        var settings = DeliveryServices.Settings(slack, null, null);
        await slack.DisposeAsync();
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(settings, new FakeTimeProvider(DeliveryServices.Start), logs);

        var error = await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("slack").SendAsync(DeliveryServices.Sample("slack", AlertEvent.Trigger), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.StartsWith("slack could not be reached", error.Message, StringComparison.Ordinal);
        DeliveryServices.AssertNoSecret(error.ToString());
        DeliveryServices.AssertNoSecret(logs.AllText);
    }
}
