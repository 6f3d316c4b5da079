using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// Alerting's rules and routing, from configuration section <see cref="SectionName"/> (the channels' settings and the
/// delivery worker's have their own subsections). Every rule has the seed's default; a configured rule with a key of
/// its own and a <see cref="AlertRuleSettings.Type"/> adds one (scoped to a model, say). Routing sends each level to
/// channels: Info nowhere (stored and shown), Warning to Slack, Critical to Slack, email and PagerDuty.
/// </summary>
public sealed class AlertingSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LeadScoring:Alerting";

    /// <summary>False: no rule is evaluated (deliveries already queued are still sent).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the rules run: operations rules on live figures, and any monitoring run or event not judged yet.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The live figures' window: error rate and P95 latency over the last this-many minutes.</summary>
    public TimeSpan OperationsWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An event's alert (a rollback) resolves itself this long after it opened: nothing else clears an event.</summary>
    public TimeSpan EventResolveAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Rule overrides and additions by rule name.</summary>
    public Dictionary<string, AlertRuleSettings> Rules { get; } = new(StringComparer.Ordinal);

    /// <summary>Channels per level; null keeps the default.</summary>
    public AlertRoutingSettings Routing { get; set; } = new();

    /// <summary>The rules after merging the configuration over the defaults; problems name their key.</summary>
    public IReadOnlyList<AlertRule> ResolveRules(out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var rules = Defaults.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var (id, configured) in Rules)
        {
            var key = $"{SectionName}:Rules:{id}";
            if (!rules.TryGetValue(id, out var rule))
            {
                if (configured.Type is null || !AlertRuleTypes.All.Contains(configured.Type))
                {
                    found.Add($"{key}:Type must be one of {string.Join(", ", AlertRuleTypes.All)} for a rule of its own (got '{configured.Type}')");
                    continue;
                }

                rule = Defaults.First(d => d.Type == configured.Type) with { Id = id };
            }
            else if (configured.Type is not null && configured.Type != rule.Type)
            {
                found.Add($"{key}:Type cannot change a built-in rule's type ({rule.Type})");
                continue;
            }

            rule = rule with
            {
                Enabled = configured.Enabled ?? rule.Enabled,
                Warning = configured.Warning ?? rule.Warning,
                Critical = configured.Critical ?? rule.Critical,
                Level = configured.Level ?? rule.Level,
                Model = configured.Model ?? rule.Model,
                Window = configured.Window ?? rule.Window,
                Cooldown = configured.Cooldown ?? rule.Cooldown,
                MinimumCount = configured.MinimumCount ?? rule.MinimumCount,
                MaxPValue = configured.MaxPValue ?? rule.MaxPValue,
            };
            found.AddRange(Check(rule, key));
            rules[id] = rule;
        }

        if (EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            found.Add($"{SectionName}:EvaluationInterval must be at least 1 second");
        }

        if (OperationsWindow < TimeSpan.FromMinutes(1))
        {
            found.Add($"{SectionName}:OperationsWindow must be at least 1 minute");
        }

        if (EventResolveAfter <= TimeSpan.Zero)
        {
            found.Add($"{SectionName}:EventResolveAfter must be positive");
        }

        problems = found;
        return [.. rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The seed's rules: one per type, named after it.</summary>
    public static IReadOnlyList<AlertRule> Defaults { get; } =
    [
        Rule(AlertRuleTypes.FeaturePsi, 0.25, 0.5, AlertLevel.Warning, AlertWindows.Daily),
        Rule(AlertRuleTypes.ScorePsi, 0.25, 0.5, AlertLevel.Warning, AlertWindows.Daily),
        Rule(AlertRuleTypes.LatencyP95, null, 500, AlertLevel.Critical, AlertWindows.Live, minimumCount: 20),
        Rule(AlertRuleTypes.ErrorRate, null, 0.01, AlertLevel.Critical, AlertWindows.Live, minimumCount: 50),
        Rule(AlertRuleTypes.ConversionDrop, 0.10, null, AlertLevel.Warning, AlertWindows.Daily, minimumCount: 200),
        Rule(AlertRuleTypes.GuardrailRollback, null, null, AlertLevel.Critical, AlertWindows.Event),
        Rule(AlertRuleTypes.DataQuality, null, null, AlertLevel.Critical, AlertWindows.Hourly),
        Rule(AlertRuleTypes.PerformanceDrop, 0.05, null, AlertLevel.Warning, AlertWindows.Daily, minimumCount: 200),
        Rule(AlertRuleTypes.RetrainingRequest, null, null, AlertLevel.Info, AlertWindows.Daily),
    ];

    private static AlertRule Rule(string type, double? warning, double? critical, AlertLevel level, string window, long minimumCount = 0) =>
        new(type, type, true, warning, critical, level, null, window, TimeSpan.FromHours(4), minimumCount, 0.01);

    private static IEnumerable<string> Check(AlertRule rule, string key)
    {
        if (rule.Warning is { } w && (!double.IsFinite(w) || w < 0))
        {
            yield return $"{key}:Warning must be a finite number at least 0";
        }

        if (rule.Critical is { } c && (!double.IsFinite(c) || c < 0))
        {
            yield return $"{key}:Critical must be a finite number at least 0";
        }

        if (rule is { Warning: { } warning, Critical: { } critical } && critical < warning)
        {
            yield return $"{key}:Critical must not be below Warning";
        }

        var windows = AlertRuleTypes.IsOperations(rule.Type) ? [AlertWindows.Live]
            : AlertRuleTypes.IsEvent(rule.Type) ? [AlertWindows.Event]
            : new[] { AlertWindows.Hourly, AlertWindows.Daily, AlertWindows.Weekly };
        if (!windows.Contains(rule.Window))
        {
            yield return $"{key}:Window must be one of {string.Join(", ", windows)} for a {rule.Type} rule (got '{rule.Window}')";
        }

        if (rule.Cooldown <= TimeSpan.Zero)
        {
            yield return $"{key}:Cooldown must be positive";
        }

        if (rule.MinimumCount < 0)
        {
            yield return $"{key}:MinimumCount must be at least 0";
        }

        if (rule.MaxPValue is <= 0 or > 1 || double.IsNaN(rule.MaxPValue))
        {
            yield return $"{key}:MaxPValue must be in (0, 1]";
        }

        if (rule.Model is { Length: 0 })
        {
            yield return $"{key}:Model must not be empty (leave it out for every model)";
        }
    }
}

/// <summary>One rule's configuration; every field left out keeps the default.</summary>
public sealed class AlertRuleSettings
{
    /// <summary>The rule's type (one of <see cref="AlertRuleTypes"/>); required for a rule of its own, fixed for a built-in one.</summary>
    public string? Type { get; set; }

    /// <summary>False disables the rule.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The Warning threshold.</summary>
    public double? Warning { get; set; }

    /// <summary>The Critical threshold.</summary>
    public double? Critical { get; set; }

    /// <summary>The level of a rule without thresholds.</summary>
    public AlertLevel? Level { get; set; }

    /// <summary>Limits the rule to one model.</summary>
    public string? Model { get; set; }

    /// <summary>The monitoring runs it reads (hourly, daily, weekly).</summary>
    public string? Window { get; set; }

    /// <summary>Time between reminders of an unacknowledged alert.</summary>
    public TimeSpan? Cooldown { get; set; }

    /// <summary>Fewest requests or labelled leads for a judgement.</summary>
    public long? MinimumCount { get; set; }

    /// <summary>The significance a conversion drop needs.</summary>
    public double? MaxPValue { get; set; }
}

/// <summary>Channels per level ("slack", "email", "pagerduty"); null keeps the default.</summary>
public sealed class AlertRoutingSettings
{
    /// <summary>Info: none by default (stored and shown only).</summary>
    public string[]? Info { get; set; }

    /// <summary>Warning: Slack by default.</summary>
    public string[]? Warning { get; set; }

    /// <summary>Critical: Slack, email and PagerDuty by default.</summary>
    public string[]? Critical { get; set; }

    /// <summary>The channels of <paramref name="level"/>.</summary>
    public IReadOnlyList<string> ChannelsOf(AlertLevel level) => level switch
    {
        AlertLevel.Critical => Critical ?? [AlertChannels.Slack, AlertChannels.Email, AlertChannels.PagerDuty],
        AlertLevel.Warning => Warning ?? [AlertChannels.Slack],
        _ => Info ?? [],
    };

    /// <summary>Unknown channel names, each naming its key.</summary>
    public IEnumerable<string> Problems() =>
        new[] { (nameof(Info), Info), (nameof(Warning), Warning), (nameof(Critical), Critical) }
            .SelectMany(l => (l.Item2 ?? []).Where(c => !AlertChannels.All.Contains(c))
                .Select(c => $"{AlertingSettings.SectionName}:Routing:{l.Item1} has unknown channel '{c}' (one of {string.Join(", ", AlertChannels.All.Order(StringComparer.Ordinal))})"));
}
