using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Storage.Tests.Alerting;

/// <summary>Lists of alerts, silences, and the refusals of bad input (which write nothing).</summary>
public abstract partial class AlertStoreContract
{
    [Fact]
    public async Task Alerts_are_listed_newest_first_by_page_and_filtered_by_state_level_rule_model_and_update_time()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await OpenAsync(At(i), i % 2 == 0 ? AlertLevel.Warning : AlertLevel.Critical, subject: $"s/{i}"));
        }

        var other = (await ApplyAsync(Breach(At(10), subject: "s/other", model: "churn") with { Rule = "error_rate" })).Applied[0].AlertId!.Value;
        await ApplyAsync(Clear(At(11), subject: "s/0"));

        var page1 = await Store.ListAlertsAsync(new AlertFilter(), pageSize: 3);
        var page2 = await Store.ListAlertsAsync(new AlertFilter(), page1.NextBefore, 3);
        var page3 = await Store.ListAlertsAsync(new AlertFilter(), page2.NextBefore, 3);
        Assert.Equal([other, ids[6], ids[5]], page1.Alerts.Select(a => a.Id));
        Assert.Equal([ids[4], ids[3], ids[2]], page2.Alerts.Select(a => a.Id));
        Assert.Equal([ids[1], ids[0]], page3.Alerts.Select(a => a.Id));
        Assert.Null(page3.NextBefore);
        Assert.Null((await Store.ListAlertsAsync(new AlertFilter(), pageSize: 8)).NextBefore);

        async Task<IEnumerable<long>> IdsAsync(AlertFilter filter) => (await Store.ListAlertsAsync(filter)).Alerts.Select(a => a.Id);
        Assert.Equal([ids[0]], await IdsAsync(new AlertFilter(State: AlertState.Resolved)));
        Assert.Equal([other, ids[6], ids[5], ids[4], ids[3], ids[2], ids[1]], await IdsAsync(new AlertFilter(State: AlertState.Firing)));
        Assert.Equal([ids[5], ids[3], ids[1]], await IdsAsync(new AlertFilter(Level: AlertLevel.Critical)));
        Assert.Equal([other], await IdsAsync(new AlertFilter(Rule: "error_rate")));
        Assert.Equal([other], await IdsAsync(new AlertFilter(Model: "churn")));
        // Updated in [2, 5): s/2, s/3, s/4 (s/0 was updated at 11 when it resolved).
        Assert.Equal([ids[4], ids[3], ids[2]], await IdsAsync(new AlertFilter(From: At(2), To: At(5))));
        Assert.Equal([ids[0]], await IdsAsync(new AlertFilter(State: AlertState.Resolved, Rule: Rule, From: At(11))));
        Assert.Empty(await IdsAsync(new AlertFilter(State: AlertState.Resolved, Level: AlertLevel.Critical)));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAlertsAsync(new AlertFilter(), pageSize: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAlertsAsync(new AlertFilter(), pageSize: AlertStore.MaxPageSize + 1));
    }

    [Fact]
    public async Task An_alert_shows_its_latest_findings_newest_first()
    {
        var id = await OpenAsync(At(0));
        for (var i = 1; i < 5; i++)
        {
            await ApplyAsync(Breach(At(i)));
        }

        var detail = await Store.GetAlertAsync(id, findings: 3);

        Assert.Equal([At(4), At(3), At(2)], detail!.Findings.Select(f => f.At));
        Assert.Equal(["monitoring_run:5", "monitoring_run:4", "monitoring_run:3"], detail.Findings.Select(f => f.Source));
        Assert.Equal(5, detail.Alert.Findings);
        Assert.Null(await Store.GetAlertAsync(id + 1));
    }

    [Fact]
    public async Task Silences_are_listed_while_in_force_or_all_and_expire_early_once()
    {
        var past = await Store.AddSilenceAsync(new NewSilence(null, null, null, At(0), At(10), "alice", "maintenance"));
        var current = await Store.AddSilenceAsync(new NewSilence(Rule, Subject, Model, At(5), At(60), "bob", "known drift"));
        var future = await Store.AddSilenceAsync(new NewSilence(Rule, null, null, At(100), At(200), "carol", "next release"));

        Assert.Equal(
            (Rule, (string?)Subject, (string?)Model, At(5), At(60), "bob", "known drift", Start, (DateTimeOffset?)null),
            (current.Rule, current.Subject, current.Model, current.StartsAt, current.EndsAt, current.CreatedBy, current.Reason, current.CreatedAt, current.ExpiredAt));
        Assert.Equal([current.Id, past.Id], (await Store.ListSilencesAsync(At(7))).Select(s => s.Id));
        Assert.Equal([current.Id], (await Store.ListSilencesAsync(At(10))).Select(s => s.Id));
        Assert.Equal([future.Id, current.Id, past.Id], (await Store.ListSilencesAsync(At(7), includeEnded: true)).Select(s => s.Id));

        var expired = await Store.ExpireSilenceAsync(current.Id, At(20));
        Assert.Equal((DateTimeOffset?)At(20), expired!.ExpiredAt);
        Assert.Equal((DateTimeOffset?)At(20), (await Store.ExpireSilenceAsync(current.Id, At(30)))!.ExpiredAt);
        Assert.Equal([current.Id], (await Store.ListSilencesAsync(At(19))).Select(s => s.Id));
        Assert.Empty(await Store.ListSilencesAsync(At(20)));
        Assert.Null(await Store.ExpireSilenceAsync(future.Id + 1, At(30)));
        Assert.Equal(AlertAction.Open, (await ApplyAsync(Breach(At(25)))).Applied[0].Action);
    }

    [Fact]
    public async Task A_bad_silence_is_refused_naming_its_field()
    {
        var good = new NewSilence(Rule, null, null, At(0), At(10), "alice", "maintenance");
        (NewSilence Silence, string Field)[] bad =
        [
            (good with { CreatedBy = " " }, "silence.CreatedBy"),
            (good with { Reason = "" }, "silence.Reason"),
            (good with { EndsAt = At(0) }, "silence.EndsAt"),
            (good with { Rule = "" }, "silence.Rule"),
            (good with { Subject = new string('s', 501) }, "silence.Subject"),
        ];

        foreach (var (silence, field) in bad)
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.AddSilenceAsync(silence));
            Assert.Equal(field, refused.ParamName);
            Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await Store.ListSilencesAsync(At(0), includeEnded: true));
    }

    [Fact]
    public async Task A_batch_with_a_bad_field_is_refused_naming_it_and_writes_nothing()
    {
        var good = Breach(At(0));
        (AlertFindingBatch Batch, string Field)[] bad =
        [
            (new(" ", [good]), "batch.Source"),
            (new("s", null!), "batch.Findings"),
            (new("s", [good, null!]), "batch.Findings[1]"),
            (new("s", [good, good with { Rule = "" }]), "batch.Findings[1].Rule"),
            (new("s", [good, good, good with { Rule = new string('r', 201) }]), "batch.Findings[2].Rule"),
            (new("s", [good with { Subject = " " }]), "batch.Findings[0].Subject"),
            (new("s", [good with { Model = "" }]), "batch.Findings[0].Model"),
            (new("s", [good with { Level = (AlertLevel)7 }]), "batch.Findings[0].Level"),
            (new("s", [good with { Summary = "" }]), "batch.Findings[0].Summary"),
            (new("s", [good with { FiguresJson = "[1, 2]" }]), "batch.Findings[0].FiguresJson"),
            (new("s", [good with { FiguresJson = "{not json" }]), "batch.Findings[0].FiguresJson"),
            (new("s", [good with { Channels = null! }]), "batch.Findings[0].Channels"),
            (new("s", [good with { Channels = ["slack", "sms"] }]), "batch.Findings[0].Channels[1]"),
            (new("s", [good with { Channels = ["slack", "slack"] }]), "batch.Findings[0].Channels[1]"),
            (new("s", [good with { Cooldown = TimeSpan.Zero }]), "batch.Findings[0].Cooldown"),
            (new("s", [good], new AlertCheckpoint("", 1)), "batch.Checkpoint.Name"),
        ];

        foreach (var (batch, field) in bad)
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.ApplyAsync(batch));
            Assert.Equal(field, refused.ParamName);
            Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty((await Store.ListAlertsAsync(new AlertFilter())).Alerts);
        Assert.Empty(await Store.AppliedSourcesAsync(["s", " "]));
        Assert.Null(await Store.NextDueAtAsync());

        // The same source, corrected, applies.
        Assert.False((await Store.ApplyAsync(new AlertFindingBatch("s", [good]))).AlreadyApplied);
    }
}
