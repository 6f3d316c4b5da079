using MimeKit;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// Checks <see cref="AlertChannelOptions"/> at start-up; each failure names its configuration key. A secret's value is
/// never quoted (a bad webhook URL is named, not shown).
/// </summary>
internal sealed class AlertChannelOptionsValidator : IValidateOptions<AlertChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add($"{AlertChannelOptions.SectionName}:{key} {problem}");

        if (options.LinkBaseUrl is { } link && !IsHttpUrl(link))
        {
            Fail("LinkBaseUrl", $"must be an absolute http or https URL (got '{link}')");
        }

        if (options.AttemptTimeout < TimeSpan.FromSeconds(1) || options.AttemptTimeout > TimeSpan.FromMinutes(2))
        {
            Fail("AttemptTimeout", $"must be from 1 second to 2 minutes (got {options.AttemptTimeout})");
        }

        if (options.Slack.WebhookUrl is { } webhook && !string.IsNullOrWhiteSpace(webhook) && !IsHttpUrl(webhook))
        {
            Fail("Slack:WebhookUrl", "must be an absolute http or https URL (the value, a secret, is not shown)");
        }

        ValidateEmail(options.Email, Fail);

        if (!IsHttpUrl(options.PagerDuty.EventsUrl))
        {
            Fail("PagerDuty:EventsUrl", $"must be an absolute http or https URL (got '{options.PagerDuty.EventsUrl}')");
        }

        if (string.IsNullOrWhiteSpace(options.PagerDuty.Source))
        {
            Fail("PagerDuty:Source", "must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateEmail(EmailChannelOptions email, Action<string, string> fail)
    {
        var anySet = !string.IsNullOrWhiteSpace(email.Host) || !string.IsNullOrWhiteSpace(email.From) || email.To.Count > 0;
        if (!anySet)
        {
            return;
        }

        // Half an email configuration is a mistake, not a wish to have no email: say what is missing.
        if (string.IsNullOrWhiteSpace(email.Host))
        {
            fail("Email:Host", "is required when Email:From or Email:To is set");
        }

        if (email.Port is < 1 or > 65535)
        {
            fail("Email:Port", $"must be from 1 to 65535 (got {email.Port})");
        }

        if (string.IsNullOrWhiteSpace(email.From))
        {
            fail("Email:From", "is required when Email:Host or Email:To is set");
        }
        else if (!MailboxAddress.TryParse(email.From, out _))
        {
            fail("Email:From", $"must be an email address (got '{email.From}')");
        }

        if (email.To.Count == 0)
        {
            fail("Email:To", "needs at least one address when Email:Host or Email:From is set");
        }

        for (var i = 0; i < email.To.Count; i++)
        {
            if (!MailboxAddress.TryParse(email.To[i], out _))
            {
                fail($"Email:To:{i}", $"must be an email address (got '{email.To[i]}')");
            }
        }

        if (string.IsNullOrEmpty(email.User) != string.IsNullOrEmpty(email.Password))
        {
            fail("Email:Password", "and Email:User must be given together (or neither)");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
