namespace LeadScoring.Core.Alerting;

/// <summary>How urgent an alert is; the level decides the channels it is routed to.</summary>
public enum AlertLevel
{
    /// <summary>Stored and shown only.</summary>
    Info,

    /// <summary>Someone should look today.</summary>
    Warning,

    /// <summary>Someone should look now.</summary>
    Critical,
}

/// <summary>What an evaluation of a rule on a subject found.</summary>
/// <param name="Breached">True when the condition holds.</param>
/// <param name="Level">The level of the breach (a rule can breach at Warning, then at Critical).</param>
/// <param name="At">When it was evaluated.</param>
public sealed record AlertEvaluation(bool Breached, AlertLevel Level, DateTimeOffset At);

/// <summary>An alert that is open (firing) for one rule and subject.</summary>
/// <param name="Level">Its current level.</param>
/// <param name="OpenedAt">When it opened.</param>
/// <param name="LastNotifiedAt">When the channels were last told.</param>
/// <param name="NotifiedLevel">The level they were last told about.</param>
/// <param name="Acknowledged">True once someone acknowledged it: no more reminders until it resolves or escalates.</param>
public sealed record OpenAlert(AlertLevel Level, DateTimeOffset OpenedAt, DateTimeOffset LastNotifiedAt, AlertLevel NotifiedLevel, bool Acknowledged = false);

/// <summary>What to do after an evaluation.</summary>
public enum AlertAction
{
    /// <summary>Nothing changes (no alert and no breach, or a breach already notified within the cooldown).</summary>
    None,

    /// <summary>Open a new alert and notify its level's channels.</summary>
    Open,

    /// <summary>The open alert is updated (its figures) without telling anyone: deduplication.</summary>
    Update,

    /// <summary>Tell the channels again: the cooldown passed without acknowledgement, or the level rose.</summary>
    Notify,

    /// <summary>The condition cleared: resolve the alert and tell the channels that got it.</summary>
    Resolve,

    /// <summary>A breach inside a silence: recorded, nobody is told.</summary>
    Suppress,
}

/// <summary>The decision and the open alert after it (null once resolved or when none opened).</summary>
/// <param name="Action">What to do.</param>
/// <param name="Alert">The alert's state afterwards.</param>
public sealed record AlertDecision(AlertAction Action, OpenAlert? Alert);

/// <summary>
/// The life of one alert (one rule on one subject), as Alertmanager users expect it: a breach opens it and notifies;
/// the same breach again only updates it (deduplication); it notifies again only after <see cref="Cooldown"/> without
/// acknowledgement, or at once when the level rises; it resolves itself when the condition clears, telling the same
/// channels; a silence records breaches without telling anyone. Pure: the caller stores the state.
/// </summary>
/// <param name="Cooldown">How long after a notification an unacknowledged open alert waits before reminding.</param>
public sealed record AlertLifecycle(TimeSpan Cooldown)
{
    /// <summary>Four hours between reminders.</summary>
    public static AlertLifecycle Default { get; } = new(TimeSpan.FromHours(4));

    /// <summary>Decides what an evaluation does to the alert's state.</summary>
    /// <param name="open">The open alert, or null when none is open.</param>
    /// <param name="evaluation">What the evaluation found.</param>
    /// <param name="silencedUntil">The end of a silence covering this rule and subject, if any.</param>
    public AlertDecision Decide(OpenAlert? open, AlertEvaluation evaluation, DateTimeOffset? silencedUntil = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (Cooldown <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Cooldown must be positive (got {Cooldown})");
        }

        var silenced = silencedUntil is { } until && evaluation.At < until;
        if (!evaluation.Breached)
        {
            return open is null ? new(AlertAction.None, null) : new(AlertAction.Resolve, null);
        }

        if (open is null)
        {
            var opened = new OpenAlert(evaluation.Level, evaluation.At, evaluation.At, evaluation.Level);
            return silenced ? new(AlertAction.Suppress, opened with { NotifiedLevel = AlertLevel.Info }) : new(AlertAction.Open, opened);
        }

        var current = open with { Level = evaluation.Level };
        if (silenced)
        {
            return new(AlertAction.Suppress, current);
        }

        var escalated = evaluation.Level > open.NotifiedLevel;
        var remind = !open.Acknowledged && evaluation.At - open.LastNotifiedAt >= Cooldown;
        return escalated || remind
            ? new(AlertAction.Notify, current with { LastNotifiedAt = evaluation.At, NotifiedLevel = evaluation.Level, Acknowledged = !escalated && open.Acknowledged })
            : new(AlertAction.Update, current);
    }
}
