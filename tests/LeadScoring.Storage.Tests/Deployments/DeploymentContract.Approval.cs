using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>Approval (one transaction with the registry's promotion), the change token, arm minutes and the audit trail.</summary>
public abstract partial class DeploymentContract
{
    // ---- approve ----

    [Fact]
    public async Task Approval_promotes_the_challenger_moves_the_champion_alias_and_completes_the_deployment_in_one_go()
    {
        await RegisterWithChampionAsync();
        var ab = await StartAsync(Ab());
        var registryToken = await Registry.GetChangeTokenAsync();
        var deploymentToken = await Deployments.GetChangeTokenAsync();
        Time.Advance(TimeSpan.FromDays(3));

        var approved = await Deployments.ApproveAsync(ab.Id, "carol", "conversion +6 %");

        var now = Start.AddDays(3);
        Assert.Equal((DeploymentState.Completed, "conversion +6 %", (DateTimeOffset?)now), (approved.State, approved.Reason, approved.EndedAt));
        Assert.Null(await Deployments.GetActiveAsync(Model));
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(ModelStage.Archived, (await Registry.GetVersionAsync(Model, 1))!.Stage);
        Assert.Equal(2, (await Registry.GetByAliasAsync(Model, DeploymentStore.ChampionAlias))!.Version);
        Assert.True(await Registry.GetChangeTokenAsync() > registryToken);
        Assert.True(await Deployments.GetChangeTokenAsync() > deploymentToken);

        var audit = (await Registry.GetAuditLogAsync(Model, 3)).Reverse().ToList();
        Assert.Equal(
            [
                (1, "stage", (string?)null, "Production", "Archived"),
                (2, "stage", null, "None", "Production"),
                (2, "alias-set", "champion", "1", "2"),
            ],
            audit.Select(a => (a.Version!.Value, a.Action, a.Alias, a.From, a.To)));
        Assert.All(audit, a => Assert.Equal(("carol", now, $"deployment {ab.Id} approved: conversion +6 %"), (a.Actor, a.At, a.Reason)));

        var events = await Deployments.GetEventsAsync(ab.Id);
        Assert.Equal([DeploymentNames.Started, DeploymentNames.Approved, DeploymentNames.Completed], events.Select(e => e.Action));
        Assert.Equal("""{"promoted_version":2,"archived_version":1}""", events[^1].FiguresJson);

        // The old champion is still there for a one-command rollback.
        Assert.Equal(1, (await Registry.RollbackAsync(Model, "carol", "back")).Version);
    }

    [Fact]
    public async Task A_full_canary_is_approved_at_its_last_step_and_not_before()
    {
        await RegisterWithChampionAsync();
        var canary = await StartAsync(Canary());
        var registryToken = await Registry.GetChangeTokenAsync();

        for (var step = 0; step < 2; step++)
        {
            var refused = await Assert.ThrowsAsync<DeploymentConflictException>(() => Deployments.ApproveAsync(canary.Id, "carol", null));
            Assert.Contains("last step", refused.Message, StringComparison.Ordinal);
            Time.Advance(canary.Steps[step].Duration!.Value);
            await Deployments.AdvanceStepAsync(canary.Id, step, "system:guardrails", "held", null);
        }

        Assert.Equal(registryToken, await Registry.GetChangeTokenAsync());
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);

        var approved = await Deployments.ApproveAsync(canary.Id, "system:auto-promote", null);

        Assert.Equal(DeploymentState.Completed, approved.State);
        Assert.Equal(2, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(
            [DeploymentNames.Started, DeploymentNames.StepAdvanced, DeploymentNames.StepAdvanced, DeploymentNames.Approved, DeploymentNames.Completed],
            (await Deployments.GetEventsAsync(canary.Id)).Select(e => e.Action));
        Assert.Equal($"deployment {canary.Id} approved", (await Registry.GetAuditLogAsync(Model, 1))[0].Reason);
    }

    [Fact]
    public async Task Approval_is_refused_unless_active_with_a_challenger_and_then_changes_nothing()
    {
        await RegisterWithChampionAsync();
        var aborted = await StartAsync(Ab());
        await Deployments.AbortAsync(aborted.Id, "alice", null);
        var single = await StartAsync(new NewDeployment(Model, 1, null, DeploymentMode.Single, 0, null, false, Salt));
        var registryToken = await Registry.GetChangeTokenAsync();
        var deploymentToken = await Deployments.GetChangeTokenAsync();

        var notActive = await Assert.ThrowsAsync<DeploymentConflictException>(() => Deployments.ApproveAsync(aborted.Id, "carol", null));
        Assert.Contains("aborted", notActive.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeploymentConflictException>(() => Deployments.ApproveAsync(single.Id, "carol", null));
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => Deployments.ApproveAsync(single.Id + 1, "carol", null));

        Assert.Equal(registryToken, await Registry.GetChangeTokenAsync());
        Assert.Equal(deploymentToken, await Deployments.GetChangeTokenAsync());
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
        Assert.Equal(DeploymentState.Active, (await Deployments.GetAsync(single.Id))!.State);
    }

    [Fact]
    public async Task An_approval_whose_promotion_fails_rolls_back_whole()
    {
        await RegisterWithChampionAsync();
        var ab = await StartAsync(Ab(challenger: 7));
        var registryToken = await Registry.GetChangeTokenAsync();

        var missing = await Assert.ThrowsAsync<RegistryException>(() => Deployments.ApproveAsync(ab.Id, "carol", null));

        Assert.Equal(RegistryErrorKind.NotFound, missing.Kind);
        Assert.Equal(ab, await Deployments.GetAsync(ab.Id));
        Assert.Single(await Deployments.GetEventsAsync(ab.Id));
        Assert.Equal(registryToken, await Registry.GetChangeTokenAsync());
        Assert.Equal(1, (await Registry.GetProductionAsync(Model))!.Version);
    }

    [Fact]
    public async Task Two_concurrent_approvals_promote_once()
    {
        await RegisterWithChampionAsync();
        var ab = await StartAsync(Ab());
        var other = Open().Deployments;
        var gate = new TaskCompletionSource();
        var racers = new[] { Deployments, other }.Select(store => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await store.ApproveAsync(ab.Id, "carol", null);
                return true;
            }
            catch (DeploymentConflictException)
            {
                return false;
            }
        })).ToArray();
        gate.SetResult();

        Assert.Equal(1, (await Task.WhenAll(racers)).Count(won => won));
        Assert.Equal(3, (await Registry.GetAuditLogAsync(Model, 100)).Count(a => a.Reason?.StartsWith($"deployment {ab.Id}", StringComparison.Ordinal) == true));
    }

    // ---- change token ----

    [Fact]
    public async Task The_change_token_moves_on_every_change_and_not_on_reads_refusals_or_arm_counters()
    {
        await RegisterWithChampionAsync();
        var tokens = new List<long> { await Deployments.GetChangeTokenAsync() };
        async Task<long> NextAsync()
        {
            var token = await Open().Deployments.GetChangeTokenAsync();
            Assert.True(token > tokens[^1], $"the token did not move: {token} after {tokens[^1]}");
            tokens.Add(token);
            return token;
        }

        var canary = await StartAsync(Canary());
        await NextAsync();
        await Deployments.AdvanceStepAsync(canary.Id, 0, "system:guardrails", "held", null);
        await NextAsync();
        await Deployments.RollBackAsync(canary.Id, "system:guardrails", "breach", null);
        await NextAsync();
        var ab = await StartAsync(Ab());
        await NextAsync();
        await Deployments.ApproveAsync(ab.Id, "carol", null);
        await NextAsync();
        var shadow = await StartAsync(new NewDeployment(Model, 2, 1, DeploymentMode.Shadow, 0, null, false, Salt));
        await NextAsync();
        await Deployments.AbortAsync(shadow.Id, "carol", null);
        var last = await NextAsync();

        await Deployments.ListAsync(null);
        await Deployments.AbortAsync(shadow.Id, "carol", null);
        await Deployments.RecordArmMinutesAsync("replica-a", [new ArmMinute(ab.Id, "challenger", Start, 10, 0, [10])]);
        await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(Ab(share: 2)));
        Assert.Equal(last, await Deployments.GetChangeTokenAsync());
    }

    // ---- arm minutes ----

    [Fact]
    public async Task Arm_minutes_are_upserted_per_replica_and_read_by_half_open_window()
    {
        var ab = await StartAsync(Ab());
        var minute = new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.Zero);
        await Deployments.RecordArmMinutesAsync("replica-a",
        [
            new(ab.Id, "champion", minute, 90, 1, [80, 9, 1]),
            new(ab.Id, "challenger", minute, 10, 0, [9, 1, 0]),
            new(ab.Id, "champion", minute.AddMinutes(1), 5, 0, [5, 0, 0]),
        ]);
        await Deployments.RecordArmMinutesAsync("replica-b", [new(ab.Id, "champion", minute, 7, 0, [7, 0, 0])]);
        // The same key again replaces the row (a replica re-sends its growing minute), it does not add one.
        await Open().Deployments.RecordArmMinutesAsync("replica-a", [new(ab.Id, "champion", minute, 120, 2, [100, 18, 2])]);
        await Deployments.RecordArmMinutesAsync("replica-a", [new(ab.Id + 1, "champion", minute, 1, 0, [1])]);

        var window = await Deployments.ReadArmMinutesAsync(ab.Id, minute, minute.AddMinutes(1));

        Assert.Equal(
            [("challenger", 10L, 0L, "9,1,0"), ("champion", 120L, 2L, "100,18,2"), ("champion", 7L, 0L, "7,0,0")],
            window.Select(r => (r.Arm, r.Requests, r.Errors, string.Join(',', r.LatencyBuckets))));
        Assert.All(window, r => Assert.Equal((ab.Id, minute), (r.DeploymentId, r.Minute)));
        Assert.Equal(4, (await Deployments.ReadArmMinutesAsync(ab.Id, minute.AddMinutes(-5), minute.AddMinutes(2))).Count);
        Assert.Equal([minute.AddMinutes(1)], (await Deployments.ReadArmMinutesAsync(ab.Id, minute.AddMinutes(1), minute.AddMinutes(2))).Select(r => r.Minute));
        Assert.Empty(await Deployments.ReadArmMinutesAsync(ab.Id, minute.AddMinutes(2), minute.AddMinutes(3)));
    }

    [Fact]
    public async Task Broken_arm_minutes_are_refused_before_anything_is_written()
    {
        var minute = Start;
        await Assert.ThrowsAsync<ArgumentException>(() => Deployments.RecordArmMinutesAsync(" ", [new(1, "champion", minute, 1, 0, [1])]));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Deployments.RecordArmMinutesAsync("replica-a",
        [
            new(1, "champion", minute, 1, 0, [1]),
            new(1, "champion", minute.AddMinutes(1), 1, 2, [1]),
        ]));
        Assert.StartsWith("rows[1] ", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Deployments.ReadArmMinutesAsync(1, minute.AddDays(-1), minute.AddDays(1)));
    }

    // ---- audit trail ----

    [Fact]
    public async Task Events_come_back_in_the_order_they_happened_per_deployment()
    {
        var first = await StartAsync(Canary());
        var other = await StartAsync(Ab(model: "other"));
        Time.Advance(TimeSpan.FromDays(1));
        await Deployments.AdvanceStepAsync(first.Id, 0, "system:guardrails", "held 1", null);
        await Deployments.AbortAsync(other.Id, "bob", "not now");
        Time.Advance(TimeSpan.FromDays(2));
        await Deployments.AdvanceStepAsync(first.Id, 1, "system:guardrails", "held 2", null);
        await Deployments.RollBackAsync(first.Id, "system:guardrails", "breach", null);

        var events = await Deployments.GetEventsAsync(first.Id);
        Assert.Equal(
            [
                (DeploymentNames.Started, Start, "try v2"),
                (DeploymentNames.StepAdvanced, Start.AddDays(1), "held 1"),
                (DeploymentNames.StepAdvanced, Start.AddDays(3), "held 2"),
                (DeploymentNames.RolledBack, Start.AddDays(3), "breach"),
            ],
            events.Select(e => (e.Action, e.At, e.Reason!)));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.Equal([DeploymentNames.Started, DeploymentNames.Aborted], (await Deployments.GetEventsAsync(other.Id)).Select(e => e.Action));
        Assert.Empty(await Deployments.GetEventsAsync(other.Id + 100));
    }
}
