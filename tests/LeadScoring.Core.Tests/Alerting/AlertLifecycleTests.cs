using LeadScoring.Core.Alerting;

namespace LeadScoring.Core.Tests.Alerting;

/// <summary>One alert's life: deduplicated, reminded after the cooldown, escalated, acknowledged, silenced, resolved.</summary>
public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlertLifecycle Lifecycle = AlertLifecycle.Default;

    [Fact]
    public void A_storm_of_a_thousand_breaches_in_an_hour_notifies_once_and_resolves_once()
    {
        var actions = new List<AlertAction>();
        OpenAlert? open = null;
        for (var i = 0; i < 1000; i++)
        {
            var decision = Lifecycle.Decide(open, new AlertEvaluation(true, AlertLevel.Critical, T0.AddSeconds(i * 3.6)));
            actions.Add(decision.Action);
            open = decision.Alert;
        }

        var cleared = Lifecycle.Decide(open, new AlertEvaluation(false, AlertLevel.Critical, T0.AddHours(1)));
        actions.Add(cleared.Action);

        Assert.Equal(1, actions.Count(a => a == AlertAction.Open));
        Assert.Equal(999, actions.Count(a => a == AlertAction.Update));
        Assert.Equal(0, actions.Count(a => a == AlertAction.Notify));
        Assert.Equal(AlertAction.Resolve, actions[^1]);
        Assert.Null(cleared.Alert);
    }

    [Fact]
    public void An_unacknowledged_alert_reminds_after_the_cooldown_and_not_before()
    {
        var open = Lifecycle.Decide(null, new AlertEvaluation(true, AlertLevel.Warning, T0)).Alert;

        var early = Lifecycle.Decide(open, new AlertEvaluation(true, AlertLevel.Warning, T0.AddHours(4).AddSeconds(-1)));
        var due = Lifecycle.Decide(open, new AlertEvaluation(true, AlertLevel.Warning, T0.AddHours(4)));

        Assert.Equal(AlertAction.Update, early.Action);
        Assert.Equal(AlertAction.Notify, due.Action);
        Assert.Equal(T0.AddHours(4), due.Alert!.LastNotifiedAt);
        Assert.Equal(T0, due.Alert.OpenedAt);
    }

    [Fact]
    public void Acknowledgement_stops_reminders_but_an_escalation_still_notifies()
    {
        var open = Lifecycle.Decide(null, new AlertEvaluation(true, AlertLevel.Warning, T0)).Alert! with { Acknowledged = true };

        var later = Lifecycle.Decide(open, new AlertEvaluation(true, AlertLevel.Warning, T0.AddDays(1)));
        var escalated = Lifecycle.Decide(later.Alert, new AlertEvaluation(true, AlertLevel.Critical, T0.AddDays(1).AddMinutes(1)));
        var calmer = Lifecycle.Decide(escalated.Alert, new AlertEvaluation(true, AlertLevel.Warning, T0.AddDays(1).AddMinutes(2)));

        Assert.Equal(AlertAction.Update, later.Action);
        Assert.Equal(AlertAction.Notify, escalated.Action);
        Assert.False(escalated.Alert!.Acknowledged);
        Assert.Equal(AlertLevel.Critical, escalated.Alert.NotifiedLevel);
        // Falling back to Warning is an update, not a new notification.
        Assert.Equal(AlertAction.Update, calmer.Action);
        Assert.Equal(AlertLevel.Warning, calmer.Alert!.Level);
    }

    [Fact]
    public void A_silence_records_breaches_silently_and_the_first_breach_after_it_notifies()
    {
        var until = T0.AddHours(2);

        var during = Lifecycle.Decide(null, new AlertEvaluation(true, AlertLevel.Critical, T0), until);
        var still = Lifecycle.Decide(during.Alert, new AlertEvaluation(true, AlertLevel.Critical, T0.AddHours(1)), until);
        var after = Lifecycle.Decide(still.Alert, new AlertEvaluation(true, AlertLevel.Critical, until), until);

        Assert.Equal(AlertAction.Suppress, during.Action);
        Assert.Equal(AlertAction.Suppress, still.Action);
        Assert.Equal(AlertAction.Notify, after.Action);
        Assert.Equal(T0, after.Alert!.OpenedAt);
    }

    [Fact]
    public void A_clear_condition_without_an_open_alert_does_nothing_and_a_bad_cooldown_is_refused()
    {
        Assert.Equal(new AlertDecision(AlertAction.None, null), Lifecycle.Decide(null, new AlertEvaluation(false, AlertLevel.Warning, T0)));
        Assert.Throws<InvalidOperationException>(() => new AlertLifecycle(TimeSpan.Zero).Decide(null, new AlertEvaluation(true, AlertLevel.Info, T0)));
    }
}
