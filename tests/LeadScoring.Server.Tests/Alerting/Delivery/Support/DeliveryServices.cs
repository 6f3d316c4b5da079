using LeadScoring.Core.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery.Support;

/// <summary>The delivery services as AddAlertDelivery registers them, over given settings, a fake clock and captured logs.</summary>
public static class DeliveryServices
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public const string SlackSecretPath = "/services/T0AAA/B0BBB/slack-SECRET-path-9c1f";
    public const string RoutingKey = "pd-routing-SECRET-key-0123456789ab";
    public const string SmtpUser = "alerts";
    public const string SmtpPassword = "smtp-SECRET-password-77";

    /// <summary>
    /// A provider with the channels and the worker; <paramref name="store"/> (when given) is the alert store. The
    /// host's TimeProvider is <paramref name="clock"/>, as in the server's tests.
    /// </summary>
    public static ServiceProvider Build(IDictionary<string, string?> settings, FakeTimeProvider clock, AllLogs logs, AlertStore? store = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(clock);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.AddAlertDelivery();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    /// <summary>Settings for all three channels pointing at the fakes (a null fake leaves its channel unconfigured).</summary>
    public static Dictionary<string, string?> Settings(FakeHttpReceiver? slack, FakeSmtpServer? smtp, FakeHttpReceiver? pagerDuty, int? smtpPort = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LeadScoring:Alerting:Channels:LinkBaseUrl"] = "https://scoring.example.com/",
            ["LeadScoring:Alerting:Channels:AttemptTimeout"] = "00:00:05",
            ["LeadScoring:Alerting:Delivery:PollInterval"] = "00:00:05",
        };
        if (slack is not null)
        {
            settings["LeadScoring:Alerting:Channels:Slack:WebhookUrl"] = slack.Url(SlackSecretPath);
        }

        if (smtp is not null || smtpPort is not null)
        {
            settings["LeadScoring:Alerting:Channels:Email:Host"] = "127.0.0.1";
            settings["LeadScoring:Alerting:Channels:Email:Port"] = (smtpPort ?? smtp!.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["LeadScoring:Alerting:Channels:Email:Security"] = "None";
            settings["LeadScoring:Alerting:Channels:Email:User"] = SmtpUser;
            settings["LeadScoring:Alerting:Channels:Email:Password"] = SmtpPassword;
            settings["LeadScoring:Alerting:Channels:Email:From"] = "Lead scoring <alerts@example.com>";
            settings["LeadScoring:Alerting:Channels:Email:To:0"] = "oncall@example.com";
            settings["LeadScoring:Alerting:Channels:Email:To:1"] = "data-team@example.com";
        }

        if (pagerDuty is not null)
        {
            settings["LeadScoring:Alerting:Channels:PagerDuty:RoutingKey"] = RoutingKey;
            settings["LeadScoring:Alerting:Channels:PagerDuty:EventsUrl"] = pagerDuty.Url("/v2/enqueue");
        }

        return settings;
    }

    /// <summary>A delivery as the store would hand it out.</summary>
    public static AlertDelivery Sample(string channel, AlertEvent @event, long id = 1, AlertLevel level = AlertLevel.Critical) => new(
        id,
        AlertId: 42,
        channel,
        @event,
        level,
        Rule: "feature_drift",
        Subject: "lead-scoring/lead_source",
        Model: "lead-scoring",
        Summary: "PSI of lead_source is 0.31 (threshold 0.25) <since v3 & rising>",
        FiguresJson: """{"psi":0.31,"threshold":0.25,"feature":"lead_source <b>x</b>"}""",
        DedupKey: "feature_drift|lead-scoring/lead_source",
        OpenedAt: Start,
        CreatedAt: Start.AddMinutes(1),
        DeliveryState.Pending,
        Attempts: 0,
        NextAttemptAt: Start.AddMinutes(1),
        SentAt: null,
        LastError: null);

    public static IAlertChannel Channel(this IServiceProvider services, string name) =>
        services.GetServices<IAlertChannel>().Single(c => c.Name == name);

    /// <summary>Fails when any secret appears in <paramref name="text"/>.</summary>
    public static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain(RoutingKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackSecretPath, text, StringComparison.Ordinal);
    }
}
