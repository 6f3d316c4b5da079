using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Alerting;

/// <summary>
/// What the alert store must do on every database: a breach opens an alert and queues a trigger per channel; the
/// same breach again only updates it; reminders after the cooldown unless acknowledged; escalations at once; a clear
/// resolves to exactly the channels that were told; a source applies once; silences suppress; a storm notifies once.
/// The outbox, acknowledgements, lists, silences and validation are in the other parts.
/// </summary>
public abstract partial class AlertStoreContract : StoreContract<AlertStore>
{
    private const string Rule = "feature_drift";
    private const string Subject = "lead-scoring/lead_source";
    private const string Model = "lead-scoring";
    private const string BreachFigures = """{"psi":0.31}""";
    private const string ClearFigures = """{"psi":0.04}""";

    private static readonly TimeSpan Cooldown = TimeSpan.FromHours(4);
    private static readonly string[] WarningChannels = [AlertChannels.Slack, AlertChannels.Email];
    private static readonly string[] CriticalChannels = [AlertChannels.Email, AlertChannels.PagerDuty, AlertChannels.Slack];

    private int _sources;

    private protected override AlertStore OpenStore(SqlDatabase database) => new(database);

    private static AlertFinding Breach(
        DateTimeOffset at, AlertLevel level = AlertLevel.Warning, string subject = Subject, IReadOnlyList<string>? channels = null, string summary = "lead_source drifted: PSI 0.31", string? model = Model) =>
        new(Rule, subject, model, true, level, at, summary, BreachFigures, channels ?? ChannelsOf(level), Cooldown);

    private static AlertFinding Clear(DateTimeOffset at, string subject = Subject) =>
        new(Rule, subject, Model, false, AlertLevel.Info, at, "lead_source is stable: PSI 0.04", ClearFigures, [], Cooldown);

    private static string[] ChannelsOf(AlertLevel level) => level switch
    {
        AlertLevel.Critical => CriticalChannels,
        AlertLevel.Warning => WarningChannels,
        _ => [],
    };

    private static DateTimeOffset At(double minutes) => Start.AddMinutes(minutes);

    /// <summary>Applies the findings as a batch of a new source.</summary>
    private Task<AlertBatchResult> ApplyAsync(params AlertFinding[] findings) => Store.ApplyAsync(new AlertFindingBatch($"monitoring_run:{++_sources}", findings));

    private async Task<long> OpenAsync(DateTimeOffset at, AlertLevel level = AlertLevel.Warning, string subject = Subject) =>
        (await ApplyAsync(Breach(at, level, subject))).Applied.Single().AlertId!.Value;

    private async Task<AlertDetail> DetailAsync(long id) => await Store.GetAlertAsync(id) ?? throw new InvalidOperationException($"no alert {id}");

    private async Task<List<(AlertEvent Event, string Channel)>> EventsAsync(long id) =>
        [.. (await DetailAsync(id)).Deliveries.Select(d => (d.Event, d.Channel))];

    private static List<(AlertEvent, string)> Each(AlertEvent alertEvent, IEnumerable<string> channels) => [.. channels.Select(c => (alertEvent, c))];

    // ---- open, dedup, remind, escalate, resolve ----

    [Fact]
    public async Task A_breach_opens_a_firing_alert_and_queues_a_trigger_per_channel_with_a_snapshot()
    {
        var result = await ApplyAsync(Breach(At(1)));

        Assert.False(result.AlreadyApplied);
        var applied = Assert.Single(result.Applied);
        Assert.Equal(AlertAction.Open, applied.Action);
        var detail = await DetailAsync(applied.AlertId!.Value);
        var alert = detail.Alert;
        Assert.Equal(
            (Rule, Subject, (string?)Model, AlertState.Firing, AlertLevel.Warning, "lead_source drifted: PSI 0.31", BreachFigures, "lead-scoring/feature_drift/lead-scoring/lead_source"),
            (alert.Rule, alert.Subject, alert.Model, alert.State, alert.Level, alert.Summary, alert.FiguresJson, alert.DedupKey));
        Assert.Equal(
            (At(1), At(1), (DateTimeOffset?)null, At(1), AlertLevel.Warning, 1L, false, (DateTimeOffset?)null, (string?)null),
            (alert.OpenedAt, alert.UpdatedAt, alert.ResolvedAt, alert.LastNotifiedAt, alert.NotifiedLevel, alert.Findings, alert.Silenced, alert.AcknowledgedAt, alert.AcknowledgedBy));

        Assert.Equal(Each(AlertEvent.Trigger, WarningChannels), detail.Deliveries.Select(d => (d.Event, d.Channel)));
        Assert.All(detail.Deliveries, d => Assert.Equal(
            (alert.Id, AlertLevel.Warning, Rule, Subject, (string?)Model, alert.Summary, BreachFigures, alert.DedupKey, At(1), Start, DeliveryState.Pending, 0, Start, (DateTimeOffset?)null, (string?)null),
            (d.AlertId, d.Level, d.Rule, d.Subject, d.Model, d.Summary, d.FiguresJson, d.DedupKey, d.OpenedAt, d.CreatedAt, d.State, d.Attempts, d.NextAttemptAt, d.SentAt, d.LastError)));
        var finding = Assert.Single(detail.Findings);
        Assert.Equal(("monitoring_run:1", AlertAction.Open, true, AlertLevel.Warning, At(1), BreachFigures), (finding.Source, finding.Action, finding.Breached, finding.Level, finding.At, finding.FiguresJson));
        Assert.Empty(detail.Attempts);
    }

    [Fact]
    public async Task The_same_breach_again_only_updates_the_alert_without_telling_anyone()
    {
        var id = await OpenAsync(At(0));

        var again = await ApplyAsync(Breach(At(60), summary: "lead_source drifted: PSI 0.35"));

        Assert.Equal((AlertAction.Update, (long?)id), (again.Applied[0].Action, again.Applied[0].AlertId));
        var detail = await DetailAsync(id);
        Assert.Equal(("lead_source drifted: PSI 0.35", At(60), At(0), 2L), (detail.Alert.Summary, detail.Alert.UpdatedAt, detail.Alert.LastNotifiedAt, detail.Alert.Findings));
        Assert.Equal(Each(AlertEvent.Trigger, WarningChannels), detail.Deliveries.Select(d => (d.Event, d.Channel)));
        Assert.Equal([AlertAction.Update, AlertAction.Open], detail.Findings.Select(f => f.Action));
        Assert.Single((await Store.ListAlertsAsync(new AlertFilter())).Alerts);
    }

    [Fact]
    public async Task After_the_cooldown_an_unacknowledged_alert_reminds_its_channels()
    {
        var id = await OpenAsync(At(0));
        await ApplyAsync(Breach(At(239)));
        Assert.Equal(2, (await EventsAsync(id)).Count);

        var reminded = await ApplyAsync(Breach(At(240)));

        Assert.Equal(AlertAction.Notify, reminded.Applied[0].Action);
        Assert.Equal([.. Each(AlertEvent.Trigger, WarningChannels), .. Each(AlertEvent.Reminder, WarningChannels)], await EventsAsync(id));
        Assert.Equal(At(240), (await DetailAsync(id)).Alert.LastNotifiedAt);
        Assert.Equal(AlertAction.Update, (await ApplyAsync(Breach(At(300)))).Applied[0].Action);
    }

    [Fact]
    public async Task An_acknowledged_alert_is_not_reminded_but_an_escalation_still_notifies_and_clears_the_acknowledgement()
    {
        var id = await OpenAsync(At(0));
        await Store.AcknowledgeAsync(id, "alice", "looking", At(10));

        Assert.Equal(AlertAction.Update, (await ApplyAsync(Breach(At(600)))).Applied[0].Action);
        Assert.Equal(2, (await EventsAsync(id)).Count);

        Assert.Equal(AlertAction.Notify, (await ApplyAsync(Breach(At(601), AlertLevel.Critical))).Applied[0].Action);
        Assert.Equal([.. Each(AlertEvent.Trigger, WarningChannels), .. Each(AlertEvent.Escalation, CriticalChannels)], await EventsAsync(id));
        var alert = (await DetailAsync(id)).Alert;
        Assert.Equal((AlertLevel.Critical, AlertLevel.Critical, At(601), (DateTimeOffset?)null), (alert.Level, alert.NotifiedLevel, alert.LastNotifiedAt, alert.AcknowledgedAt));

        // Unacknowledged again: the cooldown reminds.
        Assert.Equal(AlertAction.Notify, (await ApplyAsync(Breach(At(601 + 240), AlertLevel.Critical))).Applied[0].Action);
        Assert.Equal(Each(AlertEvent.Reminder, CriticalChannels), (await EventsAsync(id))[^3..]);
    }

    [Fact]
    public async Task An_escalation_from_warning_to_critical_notifies_at_once_and_a_fall_back_does_not()
    {
        var id = await OpenAsync(At(0));

        var escalated = await ApplyAsync(Breach(At(5), AlertLevel.Critical));
        var lowered = await ApplyAsync(Breach(At(10), AlertLevel.Warning));

        Assert.Equal((AlertAction.Notify, AlertAction.Update), (escalated.Applied[0].Action, lowered.Applied[0].Action));
        var detail = await DetailAsync(id);
        Assert.Equal([.. Each(AlertEvent.Trigger, WarningChannels), .. Each(AlertEvent.Escalation, CriticalChannels)], detail.Deliveries.Select(d => (d.Event, d.Channel)));
        Assert.All(detail.Deliveries.Where(d => d.Event == AlertEvent.Escalation), d => Assert.Equal(AlertLevel.Critical, d.Level));
        Assert.All(detail.Deliveries.Where(d => d.Event == AlertEvent.Trigger), d => Assert.Equal(AlertLevel.Warning, d.Level));
        Assert.Equal((AlertLevel.Warning, AlertLevel.Critical), (detail.Alert.Level, detail.Alert.NotifiedLevel));
    }

    [Fact]
    public async Task A_clear_resolves_the_alert_and_tells_exactly_the_channels_that_were_told_it_fired()
    {
        var escalatedId = await OpenAsync(At(0));
        await ApplyAsync(Breach(At(5), AlertLevel.Critical));
        var slackOnly = (await ApplyAsync(Breach(At(5), subject: "lead-scoring/v3", channels: [AlertChannels.Slack]))).Applied[0].AlertId!.Value;

        var cleared = await ApplyAsync(Clear(At(30)), Clear(At(30), "lead-scoring/v3"), Clear(At(30), "lead-scoring/never_fired"));

        Assert.Equal([AlertAction.Resolve, AlertAction.Resolve, AlertAction.None], cleared.Applied.Select(a => a.Action));
        Assert.Null(cleared.Applied[2].AlertId);
        Assert.Equal(Each(AlertEvent.Resolve, CriticalChannels), (await EventsAsync(escalatedId)).Where(e => e.Event == AlertEvent.Resolve));
        Assert.Equal(Each(AlertEvent.Resolve, [AlertChannels.Slack]), (await EventsAsync(slackOnly)).Where(e => e.Event == AlertEvent.Resolve));
        var detail = await DetailAsync(escalatedId);
        Assert.Equal(
            (AlertState.Resolved, (DateTimeOffset?)At(30), At(30), AlertLevel.Critical, ClearFigures, 3L),
            (detail.Alert.State, detail.Alert.ResolvedAt, detail.Alert.UpdatedAt, detail.Alert.Level, detail.Alert.FiguresJson, detail.Alert.Findings));
        Assert.All(detail.Deliveries.Where(d => d.Event == AlertEvent.Resolve), d => Assert.Equal(("lead_source is stable: PSI 0.04", detail.Alert.DedupKey), (d.Summary, d.DedupKey)));
        Assert.Equal(2, (await Store.ListAlertsAsync(new AlertFilter())).Alerts.Count);

        // Cleared again: nothing to resolve, nothing stored.
        Assert.Equal(AlertAction.None, (await ApplyAsync(Clear(At(40)))).Applied[0].Action);
        Assert.Equal(3, (await DetailAsync(escalatedId)).Findings.Count);
    }

    [Fact]
    public async Task A_breach_after_a_resolve_opens_a_new_alert_with_the_same_dedup_key()
    {
        var first = await OpenAsync(At(0));
        await ApplyAsync(Clear(At(10)));

        var second = await OpenAsync(At(20));

        Assert.NotEqual(first, second);
        var (old, @new) = ((await DetailAsync(first)).Alert, (await DetailAsync(second)).Alert);
        Assert.Equal(old.DedupKey, @new.DedupKey);
        Assert.Equal((AlertState.Resolved, AlertState.Firing, At(20), 1L), (old.State, @new.State, @new.OpenedAt, @new.Findings));
        Assert.Equal(Each(AlertEvent.Trigger, WarningChannels), await EventsAsync(second));
    }

    [Fact]
    public async Task Findings_of_one_rule_and_subject_in_one_batch_see_each_other()
    {
        var result = await ApplyAsync(Breach(At(0)), Breach(At(1)), Breach(At(2), AlertLevel.Critical), Clear(At(3)), Breach(At(4)));

        Assert.Equal([AlertAction.Open, AlertAction.Update, AlertAction.Notify, AlertAction.Resolve, AlertAction.Open], result.Applied.Select(a => a.Action));
        var first = result.Applied[0].AlertId!.Value;
        Assert.Equal([first, first, first, first], result.Applied.Take(4).Select(a => a.AlertId!.Value));
        Assert.NotEqual(first, result.Applied[4].AlertId);
        Assert.Equal(
            [.. Each(AlertEvent.Trigger, WarningChannels), .. Each(AlertEvent.Escalation, CriticalChannels), .. Each(AlertEvent.Resolve, CriticalChannels)],
            await EventsAsync(first));
    }

    [Fact]
    public async Task Applying_a_source_again_changes_nothing()
    {
        var batch = new AlertFindingBatch("ops:2026-12-02T10:05:00Z", [Breach(At(0))], new AlertCheckpoint("ops", 5));
        var first = await Store.ApplyAsync(batch);

        var again = await Store.ApplyAsync(batch with { Findings = [Breach(At(300), AlertLevel.Critical)], Checkpoint = new AlertCheckpoint("ops", 9) });

        Assert.Equal((false, true), (first.AlreadyApplied, again.AlreadyApplied));
        Assert.Empty(again.Applied);
        var detail = await DetailAsync(first.Applied[0].AlertId!.Value);
        Assert.Equal((AlertLevel.Warning, 1L, 2), (detail.Alert.Level, detail.Alert.Findings, detail.Deliveries.Count));
        Assert.Equal(5, await Store.GetCheckpointAsync("ops"));
        Assert.Equal(new HashSet<string> { batch.Source }, await Store.AppliedSourcesAsync([batch.Source, "ops:other", batch.Source]));
        Assert.Empty(await Store.AppliedSourcesAsync([]));
    }

    [Fact]
    public async Task The_checkpoint_is_written_with_its_batch_even_without_findings()
    {
        Assert.Null(await Store.GetCheckpointAsync("deployment_alerts"));

        await Store.ApplyAsync(new AlertFindingBatch("deployment_alert:7", [], new AlertCheckpoint("deployment_alerts", 7)));
        await Store.ApplyAsync(new AlertFindingBatch("deployment_alert:8", [Breach(At(0))], new AlertCheckpoint("deployment_alerts", 8)));

        Assert.Equal(8, await Store.GetCheckpointAsync("deployment_alerts"));
        Assert.Null(await Store.GetCheckpointAsync("other"));
        Assert.Equal(2, (await Store.AppliedSourcesAsync(["deployment_alert:7", "deployment_alert:8"])).Count);
    }

    [Fact]
    public async Task An_info_finding_opens_an_alert_that_is_stored_and_shown_only()
    {
        var result = await ApplyAsync(Breach(At(0), AlertLevel.Info));

        var detail = await DetailAsync(result.Applied[0].AlertId!.Value);
        Assert.Equal((AlertAction.Open, AlertState.Firing, AlertLevel.Info), (result.Applied[0].Action, detail.Alert.State, detail.Alert.Level));
        Assert.Empty(detail.Deliveries);
        Assert.Null(await Store.NextDueAtAsync());

        // Cleared: nobody was told, so nobody is told of the end.
        await ApplyAsync(Clear(At(5)));
        Assert.Empty((await DetailAsync(detail.Alert.Id)).Deliveries);
    }

    [Fact]
    public async Task A_silence_suppresses_notifications_and_after_it_ends_a_breach_notifies()
    {
        var silence = await Store.AddSilenceAsync(new NewSilence(Rule, null, null, At(0), At(60), "alice", "planned backfill"));

        var suppressed = await ApplyAsync(Breach(At(1)), Breach(At(2), AlertLevel.Critical));

        Assert.Equal([AlertAction.Suppress, AlertAction.Suppress], suppressed.Applied.Select(a => a.Action));
        var id = suppressed.Applied[0].AlertId!.Value;
        var detail = await DetailAsync(id);
        Assert.Equal((true, AlertLevel.Critical, AlertLevel.Info, 2L), (detail.Alert.Silenced, detail.Alert.Level, detail.Alert.NotifiedLevel, detail.Alert.Findings));
        Assert.Empty(detail.Deliveries);
        Assert.Equal([AlertAction.Suppress, AlertAction.Suppress], detail.Findings.Select(f => f.Action));

        var after = await ApplyAsync(Breach(At(60), AlertLevel.Critical));

        Assert.Equal((AlertAction.Notify, (long?)id), (after.Applied[0].Action, after.Applied[0].AlertId));
        detail = await DetailAsync(id);
        Assert.False(detail.Alert.Silenced);
        Assert.Equal(CriticalChannels, detail.Deliveries.Select(d => d.Channel));
        Assert.Equal(silence.Id, Assert.Single(await Store.ListSilencesAsync(At(59))).Id);
    }

    [Fact]
    public async Task A_silence_matches_only_its_rule_subject_and_model_and_only_while_in_force()
    {
        await Store.AddSilenceAsync(new NewSilence(null, "lead-scoring/v3", "lead-scoring", At(10), At(20), "alice", "v3 retraining"));
        var early = await Store.AddSilenceAsync(new NewSilence(null, null, "churn", At(0), At(100), "bob", "churn is noisy"));
        await Store.ExpireSilenceAsync(early.Id, At(30));

        var result = await ApplyAsync(
            Breach(At(15), subject: "lead-scoring/v3"),            // silenced
            Breach(At(15), subject: "lead-scoring/v4"),            // other subject
            Breach(At(15), subject: "lead-scoring/v5", model: null), // a finding without model does not match a silence naming one
            Breach(At(25), subject: "churn/a", model: "churn"),    // churn silence still in force
            Breach(At(35), subject: "churn/b", model: "churn"));   // churn silence expired early

        Assert.Equal(
            [AlertAction.Suppress, AlertAction.Open, AlertAction.Open, AlertAction.Suppress, AlertAction.Open],
            result.Applied.Select(a => a.Action));
        // The v3 silence ended at 20: its alert, never told, is told now.
        Assert.Equal(AlertAction.Notify, (await ApplyAsync(Breach(At(20), subject: "lead-scoring/v3"))).Applied[0].Action);
    }

    [Fact]
    public async Task A_storm_of_a_thousand_breaches_in_an_hour_then_a_clear_notifies_once_and_resolves_once_per_channel()
    {
        long? id = null;
        for (var i = 0; i < 1_000; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(3.6));
            var result = await ApplyAsync(Breach(Time.GetUtcNow(), AlertLevel.Critical, summary: $"breach {i}"));
            id ??= result.Applied[0].AlertId;
            Assert.Equal(id, result.Applied[0].AlertId);
        }

        Time.Advance(TimeSpan.FromSeconds(1));
        await ApplyAsync(Clear(Time.GetUtcNow()));

        var detail = await Store.GetAlertAsync(id!.Value, findings: 1_000);
        Assert.Equal([.. Each(AlertEvent.Trigger, CriticalChannels), .. Each(AlertEvent.Resolve, CriticalChannels)], detail!.Deliveries.Select(d => (d.Event, d.Channel)));
        Assert.Equal((1_001L, AlertState.Resolved), (detail.Alert.Findings, detail.Alert.State));
        Assert.Equal(1_000, detail.Findings.Count);
        Assert.Equal(AlertAction.Resolve, detail.Findings[0].Action);
        Assert.Single((await Store.ListAlertsAsync(new AlertFilter())).Alerts);
    }

    [Fact]
    public async Task Two_processes_opening_the_same_alert_at_once_leave_one_firing_alert()
    {
        var stores = new[] { Store, Open() };
        for (var round = 0; round < 10; round++)
        {
            var subject = $"race/{round}";
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = stores.Select((store, i) => Task.Run(async () =>
            {
                await gate.Task;
                return await store.ApplyAsync(new AlertFindingBatch($"race:{round}:{i}", [Breach(At(round), subject: subject)]));
            })).ToArray();
            gate.SetResult();

            var results = await Task.WhenAll(racers);
            Assert.Equal([AlertAction.Open, AlertAction.Update], results.Select(r => r.Applied[0].Action).Order());
            Assert.Single(results.Select(r => r.Applied[0].AlertId).Distinct());
            Assert.Equal(2, (await EventsAsync(results[0].Applied[0].AlertId!.Value)).Count);
        }
    }

    [Fact]
    public async Task A_long_rule_and_subject_get_a_dedup_key_of_at_most_255_characters_that_still_tells_them_apart()
    {
        var a = await OpenAsync(At(0), subject: new string('a', 400) + "1");
        var b = await OpenAsync(At(0), subject: new string('a', 400) + "2");

        var (keyA, keyB) = ((await DetailAsync(a)).Alert.DedupKey, (await DetailAsync(b)).Alert.DedupKey);
        Assert.True(keyA.Length <= 255 && keyB.Length <= 255);
        Assert.StartsWith("lead-scoring/feature_drift/aaa", keyA, StringComparison.Ordinal);
        Assert.NotEqual(keyA, keyB);
    }
}
