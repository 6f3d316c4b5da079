using LeadScoring.Core.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// The rules in force and where each level goes: the configured routing less the channels that are not configured
/// (a Critical alert on a machine without PagerDuty goes to the others instead of failing there forever).
/// </summary>
/// <param name="Rules">The resolved rules.</param>
/// <param name="Routing">Channels per level, configured ones only.</param>
/// <param name="OperationsWindow">The live figures' window.</param>
/// <param name="EventResolveAfter">When an event's alert resolves itself.</param>
public sealed record AlertPolicy(IReadOnlyList<AlertRule> Rules, IReadOnlyDictionary<AlertLevel, IReadOnlyList<string>> Routing, TimeSpan OperationsWindow, TimeSpan EventResolveAfter)
{
    /// <summary>The policy of <paramref name="settings"/>, routing only to channels <paramref name="isConfigured"/> accepts.</summary>
    public static AlertPolicy From(AlertingSettings settings, Func<string, bool> isConfigured)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(isConfigured);
        var rules = settings.ResolveRules(out var problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        var routing = Enum.GetValues<AlertLevel>().ToDictionary(
            level => level,
            level => (IReadOnlyList<string>)settings.Routing.ChannelsOf(level).Where(isConfigured).Distinct(StringComparer.Ordinal).ToList());
        return new AlertPolicy(rules, routing, settings.OperationsWindow, settings.EventResolveAfter);
    }

    /// <summary>The channels <paramref name="level"/> goes to.</summary>
    public IReadOnlyList<string> ChannelsOf(AlertLevel level) => Routing.TryGetValue(level, out var channels) ? channels : [];
}
