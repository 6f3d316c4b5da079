using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// The channels that are configured (their required settings present); the rules route only to these, and the
/// delivery worker fails a delivery to any other at once.
/// </summary>
public sealed class AlertChannelRegistry
{
    private readonly Dictionary<string, IAlertChannel> _configured;

    /// <summary>Keeps those of <paramref name="channels"/> whose settings are present.</summary>
    public AlertChannelRegistry(IEnumerable<IAlertChannel> channels, IOptions<AlertChannelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _configured = channels
            .Where(c => c.Name switch
            {
                AlertChannels.Slack => settings.Slack.IsConfigured,
                AlertChannels.Email => settings.Email.IsConfigured,
                AlertChannels.PagerDuty => settings.PagerDuty.IsConfigured,
                _ => true,
            })
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        Configured = [.. _configured.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The names of the configured channels, sorted.</summary>
    public IReadOnlyList<string> Configured { get; }

    /// <summary>True when channel <paramref name="name"/> is configured.</summary>
    public bool IsConfigured(string name) => _configured.ContainsKey(name);

    /// <summary>The configured channel named <paramref name="name"/>, or null.</summary>
    public IAlertChannel? Find(string name) => _configured.GetValueOrDefault(name);
}
