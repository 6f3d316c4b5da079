using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Tests.Alerting.Delivery.Support;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace LeadScoring.Server.Tests.Alerting.Delivery;

public sealed class EmailChannelTests
{
    [Fact]
    public async Task A_trigger_is_one_authenticated_mail_to_every_recipient_with_a_text_and_an_encoded_html_part()
    {
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, smtp, null), new FakeTimeProvider(DeliveryServices.Start), logs);

        await services.Channel("email").SendAsync(DeliveryServices.Sample("email", AlertEvent.Trigger), CancellationToken.None);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("[CRITICAL] feature_drift on lead-scoring/lead_source", message.Subject);
        Assert.Equal("alerts@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal(["oncall@example.com", "data-team@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(DeliveryServices.Start, message.Date);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        var text = alternative.OfType<TextPart>().Single(p => p.IsPlain).Text;
        var html = alternative.OfType<TextPart>().Single(p => p.IsHtml).Text;
        Assert.Contains("PSI of lead_source is 0.31 (threshold 0.25) <since v3 & rising>", text, StringComparison.Ordinal);
        Assert.Contains("Rule: feature_drift", text, StringComparison.Ordinal);
        Assert.Contains("Model: lead-scoring", text, StringComparison.Ordinal);
        Assert.Contains("Event: firing", text, StringComparison.Ordinal);
        Assert.Contains("  psi: 0.31", text, StringComparison.Ordinal);
        Assert.Contains("https://scoring.example.com/alerts/42", text, StringComparison.Ordinal);
        // Everything the alert says is encoded in the HTML: a subject or a figure cannot inject markup.
        Assert.Contains("&lt;since v3 &amp; rising&gt;", html, StringComparison.Ordinal);
        Assert.Contains("lead_source &lt;b&gt;x&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://scoring.example.com/alerts/42\">", html, StringComparison.Ordinal);
        DeliveryServices.AssertNoSecret(logs.AllText);
    }

    [Theory]
    [InlineData(AlertEvent.Resolve, "[CRITICAL] feature_drift on lead-scoring/lead_source (resolved)")]
    [InlineData(AlertEvent.Reminder, "[CRITICAL] feature_drift on lead-scoring/lead_source (reminder)")]
    [InlineData(AlertEvent.Escalation, "[CRITICAL] feature_drift on lead-scoring/lead_source (escalated)")]
    public async Task The_subject_says_what_happened(AlertEvent @event, string subject)
    {
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, DeliveryServices.SmtpPassword);
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, smtp, null), new FakeTimeProvider(DeliveryServices.Start), new AllLogs());

        await services.Channel("email").SendAsync(DeliveryServices.Sample("email", @event), CancellationToken.None);

        Assert.Equal(subject, Assert.Single(smtp.Messages).Subject);
    }

    [Fact]
    public async Task A_refused_login_is_an_error_without_the_password()
    {
        await using var smtp = await FakeSmtpServer.StartAsync(DeliveryServices.SmtpUser, "another-password");
        var logs = new AllLogs();
        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, smtp, null), new FakeTimeProvider(DeliveryServices.Start), logs);

        var error = await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("email").SendAsync(DeliveryServices.Sample("email", AlertEvent.Trigger), CancellationToken.None));

        Assert.StartsWith("email via 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthenticationException", error.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
        DeliveryServices.AssertNoSecret(error.ToString());
        DeliveryServices.AssertNoSecret(logs.AllText);
    }

    [Fact]
    public async Task A_closed_port_is_an_error()
    {
        int port;
        await using (var gone = await FakeSmtpServer.StartAsync())
        {
            port = gone.Port;
        }

        await using var services = DeliveryServices.Build(DeliveryServices.Settings(null, null, null, smtpPort: port), new FakeTimeProvider(DeliveryServices.Start), new AllLogs());

        var error = await Assert.ThrowsAsync<AlertChannelException>(() =>
            services.Channel("email").SendAsync(DeliveryServices.Sample("email", AlertEvent.Trigger), CancellationToken.None));

        Assert.StartsWith($"email via 127.0.0.1:{port} failed", error.Message, StringComparison.Ordinal);
    }
}
