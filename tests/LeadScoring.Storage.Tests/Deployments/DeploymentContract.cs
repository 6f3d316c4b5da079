using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>
/// What the deployments must do on every database: start (one active per model, every rule naming its field, a
/// refused start writes nothing), optimistic step advances, rollback with its event and alert in one transaction,
/// abort, approval promoting in the registry in the same transaction (and refused in the wrong state), the change
/// token, arm minutes and the audit trail.
/// </summary>
public abstract partial class DeploymentContract : StoreContract<DeploymentStores>
{
    private const string Model = "lead-scoring";
    private const string Salt = "00112233445566778899aabbccddeeff";

    private DeploymentStore Deployments => Store.Deployments;

    private ModelRegistry Registry => Store.Registry;

    private protected override DeploymentStores OpenStore(SqlDatabase database) =>
        new(database, new SqlDatabase(Database.OpenDialect(), Time), new SqlDatabase(Database.OpenDialect(), Time));

    private static NewDeployment Ab(int champion = 1, int? challenger = 2, double share = 0.1, string model = Model) =>
        new(model, champion, challenger, DeploymentMode.AB, share, null, false, Salt);

    private static NewDeployment Canary(IReadOnlyList<CanaryStepSpec>? steps = null, bool autoPromote = false) =>
        new(Model, 1, 2, DeploymentMode.Canary, 0, steps, autoPromote, Salt);

    private Task<Deployment> StartAsync(NewDeployment deployment, DeploymentStore? store = null) =>
        (store ?? Deployments).StartAsync(deployment, "alice", "try v2");

    /// <summary>Registers <paramref name="count"/> versions of the model and puts v1 in Production with the champion alias.</summary>
    private async Task RegisterWithChampionAsync(int count = 2)
    {
        for (var i = 0; i < count; i++)
        {
            await Registry.RegisterAsync(new NewModelVersion(Model, [(byte)i, 1, 2], "{}", "alice"));
        }

        await Registry.TransitionAsync(Model, 1, ModelStage.Production, "alice", "first");
        await Registry.SetAliasAsync(Model, DeploymentStore.ChampionAlias, 1, "alice", "first");
    }

    // ---- start ----

    [Fact]
    public async Task A_start_stores_the_deployment_active_at_its_first_step_with_a_started_event()
    {
        var started = await StartAsync(Ab(share: 0.25));

        Assert.True(started.Id > 0);
        Assert.Equal(
            (Model, 1, (int?)2, DeploymentMode.AB, 0.25, 0, Start, false, Salt, DeploymentState.Active, "try v2", Start, "alice", Start, (DateTimeOffset?)null),
            (started.ModelName, started.ChampionVersion, started.ChallengerVersion, started.Mode, started.Share, started.Step, started.StepStartedAt,
                started.AutoPromote, started.Salt, started.State, started.Reason, started.CreatedAt, started.CreatedBy, started.UpdatedAt, started.EndedAt));
        Assert.Empty(started.Steps);
        Assert.Equal(started, await Deployments.GetAsync(started.Id));
        Assert.Equal(started, await Deployments.GetActiveAsync(Model));
        Assert.Equal([started], await Deployments.ListActiveAsync());
        var started_ = Assert.Single(await Deployments.GetEventsAsync(started.Id));
        Assert.Equal((started.Id, Start, "alice", DeploymentNames.Started, "try v2", (string?)null), (started_.DeploymentId, started_.At, started_.Actor, started_.Action, started_.Reason, started_.FiguresJson));
        Assert.Null(await Deployments.GetAsync(started.Id + 1));
        Assert.Null(await Deployments.GetActiveAsync("other"));
    }

    [Fact]
    public async Task Each_mode_starts_at_its_share_and_a_canary_without_steps_runs_the_default_plan()
    {
        var canary = await StartAsync(Canary(autoPromote: true));
        Assert.Equal(DeploymentNames.DefaultCanarySteps, canary.Steps);
        Assert.Equal((0.10, 0, true), (canary.Share, canary.Step, canary.AutoPromote));

        var shadow = await StartAsync(new NewDeployment("m2", 1, 2, DeploymentMode.Shadow, 0.5, null, false, Salt));
        Assert.Equal((0.0, 0), (shadow.Share, shadow.Steps.Count));

        var single = await StartAsync(new NewDeployment("m3", 4, null, DeploymentMode.Single, 0.5, null, false, Salt));
        Assert.Equal((0.0, (int?)null), (single.Share, single.ChallengerVersion));

        var custom = await StartAsync(new NewDeployment("m4", 1, 2, DeploymentMode.Canary, 0, [new(0.05, TimeSpan.FromHours(6)), new(1.0, null)], false, Salt));
        Assert.Equal([new CanaryStepSpec(0.05, TimeSpan.FromHours(6)), new CanaryStepSpec(1.0, null)], custom.Steps);
        Assert.Equal(custom, await Deployments.GetAsync(custom.Id));

        Assert.Equal([canary.Id, shadow.Id, single.Id, custom.Id], (await Deployments.ListActiveAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task A_second_active_deployment_of_a_model_is_a_conflict_naming_the_active_one()
    {
        var first = await StartAsync(Ab());
        var token = await Deployments.GetChangeTokenAsync();

        var refused = await Assert.ThrowsAsync<DeploymentConflictException>(() => StartAsync(Canary()));
        Assert.Equal(first.Id, refused.DeploymentId);
        Assert.Contains(first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(token, await Deployments.GetChangeTokenAsync());
        Assert.Single(await Deployments.ListAsync(null));

        // Another model is free; once the first ends, the model is free again.
        await StartAsync(Ab(model: "other"));
        await Deployments.AbortAsync(first.Id, "alice", "done");
        var second = await StartAsync(Canary());
        Assert.Equal(second, await Deployments.GetActiveAsync(Model));
        Assert.Equal([second.Id, first.Id], (await Deployments.ListAsync(Model)).Select(d => d.Id));
    }

    [Fact]
    public async Task Concurrent_starts_of_one_model_from_two_processes_leave_exactly_one_active()
    {
        var other = Open().Deployments;
        for (var round = 0; round < 10; round++)
        {
            var model = $"race-{round}";
            var gate = new TaskCompletionSource();
            var racers = new[] { Deployments, other }.Select(store => Task.Run(async () =>
            {
                await gate.Task;
                try
                {
                    await StartAsync(Ab(model: model), store);
                    return true;
                }
                catch (DeploymentConflictException)
                {
                    return false;
                }
            })).ToArray();
            gate.SetResult();

            Assert.Equal(1, (await Task.WhenAll(racers)).Count(won => won));
            Assert.Single(await Deployments.ListAsync(model));
        }
    }

    public static TheoryData<NewDeployment, string> BrokenStarts => new()
    {
        { Ab() with { ModelName = "has space" }, "ModelName" },
        { Ab(champion: 0), "ChampionVersion" },
        { Ab(challenger: null), "ChallengerVersion" },
        { Ab(challenger: 0), "ChallengerVersion" },
        { Ab(challenger: 1), "ChallengerVersion" },
        { Ab(share: 0), "Share" },
        { Ab(share: 1.5), "Share" },
        { Ab(share: double.NaN), "Share" },
        { Ab() with { Salt = "abc" }, "Salt" },
        { Ab() with { Salt = new string('z', 32) }, "Salt" },
        { Ab() with { Mode = (DeploymentMode)9 }, "Mode" },
        { Canary([]), "Steps" },
        { Canary([new(0.5, TimeSpan.FromDays(1)), new(0.5, TimeSpan.FromDays(1)), new(1.0, null)]), "Steps[1].Share" },
        { Canary([new(0.5, TimeSpan.FromDays(1)), new(0.9, null)]), "Steps[1].Share" },
        { Canary([new(0, TimeSpan.FromDays(1)), new(1.0, null)]), "Steps[0].Share" },
        { Canary([new(0.1, TimeSpan.Zero), new(1.0, null)]), "Steps[0].Duration" },
        { Canary([new(0.1, null), new(1.0, null)]), "Steps[0].Duration" },
        { Canary([new(0.1, TimeSpan.FromDays(1)), new(1.0, TimeSpan.FromDays(1))]), "Steps[1].Duration" },
    };

    [Theory]
    [MemberData(nameof(BrokenStarts))]
    public async Task A_broken_start_is_refused_naming_the_field_and_writes_nothing(NewDeployment deployment, string field)
    {
        var token = await Deployments.GetChangeTokenAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(deployment));

        Assert.Equal(field, refused.ParamName);
        Assert.StartsWith(field + " ", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Deployments.ListAsync(null));
        Assert.Equal(token, await Deployments.GetChangeTokenAsync());
    }

    [Fact]
    public async Task A_start_needs_an_actor()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Deployments.StartAsync(Ab(), " ", null));
        Assert.Equal("actor", refused.ParamName);
        Assert.Empty(await Deployments.ListAsync(null));
    }

    // ---- advance, roll back, abort ----

    [Fact]
    public async Task A_step_advances_once_from_a_given_step_and_a_second_advance_from_it_is_null()
    {
        var canary = await StartAsync(Canary());
        Time.Advance(TimeSpan.FromDays(1));

        var advanced = await Deployments.AdvanceStepAsync(canary.Id, 0, "system:guardrails", "held for 1 day", """{"requests":1200}""");

        Assert.NotNull(advanced);
        Assert.Equal((1, 0.5, Start.AddDays(1), Start.AddDays(1), DeploymentState.Active), (advanced.Step, advanced.Share, advanced.StepStartedAt, advanced.UpdatedAt, advanced.State));
        Assert.Null(await Open().Deployments.AdvanceStepAsync(canary.Id, 0, "system:guardrails", "held for 1 day", null));
        Assert.Equal(advanced, await Deployments.GetAsync(canary.Id));

        Time.Advance(TimeSpan.FromDays(2));
        var last = await Deployments.AdvanceStepAsync(canary.Id, 1, "system:guardrails", "held for 2 days", null);
        Assert.Equal((2, 1.0), (last!.Step, last.Share));
        var beyond = await Assert.ThrowsAsync<DeploymentConflictException>(() => Deployments.AdvanceStepAsync(canary.Id, 2, "system:guardrails", "more", null));
        Assert.Equal(canary.Id, beyond.DeploymentId);

        var events = await Deployments.GetEventsAsync(canary.Id);
        Assert.Equal([DeploymentNames.Started, DeploymentNames.StepAdvanced, DeploymentNames.StepAdvanced], events.Select(e => e.Action));
        Assert.Equal(("system:guardrails", "held for 1 day", """{"requests":1200}""", Start.AddDays(1)), (events[1].Actor, events[1].Reason, events[1].FiguresJson, events[1].At));
    }

    [Fact]
    public async Task Concurrent_advances_from_the_same_step_advance_it_once()
    {
        var canary = await StartAsync(Canary());
        var other = Open().Deployments;
        var gate = new TaskCompletionSource();
        var racers = new[] { Deployments, other }.Select(store => Task.Run(async () =>
        {
            await gate.Task;
            return await store.AdvanceStepAsync(canary.Id, 0, "system:guardrails", "held", null);
        })).ToArray();
        gate.SetResult();

        Assert.Single((await Task.WhenAll(racers)).OfType<Deployment>());
        Assert.Equal(1, (await Deployments.GetAsync(canary.Id))!.Step);
        Assert.Equal(2, (await Deployments.GetEventsAsync(canary.Id)).Count);
    }

    [Fact]
    public async Task An_ab_deployment_has_no_step_to_advance_and_an_ended_one_advances_to_null()
    {
        var ab = await StartAsync(Ab());
        await Assert.ThrowsAsync<DeploymentConflictException>(() => Deployments.AdvanceStepAsync(ab.Id, 0, "system:guardrails", "held", null));
        await Deployments.AbortAsync(ab.Id, "alice", null);
        Assert.Null(await Deployments.AdvanceStepAsync(ab.Id, 0, "system:guardrails", "held", null));
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => Deployments.AdvanceStepAsync(ab.Id + 1, 0, "system:guardrails", "held", null));
    }

    [Fact]
    public async Task A_rollback_ends_the_deployment_with_its_event_and_a_critical_alert_once()
    {
        var canary = await StartAsync(Canary());
        Time.Advance(TimeSpan.FromMinutes(7));
        const string Reason = "challenger error rate 5.1 % (51 of 1000 requests) is above 2 %";
        const string Figures = """{"errors":51,"requests":1000}""";

        var rolledBack = await Deployments.RollBackAsync(canary.Id, "system:guardrails", Reason, Figures);

        var now = Start.AddMinutes(7);
        Assert.Equal((DeploymentState.RolledBack, Reason, now, (DateTimeOffset?)now), (rolledBack!.State, rolledBack.Reason, rolledBack.UpdatedAt, rolledBack.EndedAt));
        Assert.Null(await Deployments.GetActiveAsync(Model));
        Assert.Empty(await Deployments.ListActiveAsync());
        var rolledBackEvent = (await Deployments.GetEventsAsync(canary.Id))[^1];
        Assert.Equal((DeploymentNames.RolledBack, "system:guardrails", Reason, Figures, now), (rolledBackEvent.Action, rolledBackEvent.Actor, rolledBackEvent.Reason, rolledBackEvent.FiguresJson, rolledBackEvent.At));
        var alert = Assert.Single(await Deployments.ListAlertsAsync(null));
        Assert.Equal((canary.Id, now, DeploymentNames.Critical, DeploymentNames.RolledBackAlert, Figures, (DateTimeOffset?)null), (alert.DeploymentId, alert.At, alert.Level, alert.Kind, alert.FiguresJson, alert.DeliveredAt));
        Assert.Equal($"lead-scoring: canary deployment {canary.Id} of v2 against v1 rolled back to the champion: {Reason}", alert.Summary);

        // Once: a second rollback (another replica's) and an abort find it ended and write nothing.
        var token = await Deployments.GetChangeTokenAsync();
        Assert.Null(await Open().Deployments.RollBackAsync(canary.Id, "system:guardrails", Reason, Figures));
        Assert.Null(await Deployments.AbortAsync(canary.Id, "alice", null));
        Assert.Single(await Deployments.ListAlertsAsync(null));
        Assert.Equal(token, await Deployments.GetChangeTokenAsync());
    }

    [Fact]
    public async Task Alerts_are_listed_oldest_first_after_an_id()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var deployment = await StartAsync(Ab(model: $"m{i}"));
            await Deployments.RollBackAsync(deployment.Id, "system:guardrails", $"breach {i}", null);
            ids.Add(deployment.Id);
        }

        var all = await Deployments.ListAlertsAsync(null);
        Assert.Equal(ids, all.Select(a => a.DeploymentId));
        Assert.Equal(ids.Skip(1), (await Deployments.ListAlertsAsync(all[0].Id)).Select(a => a.DeploymentId));
        Assert.Equal([ids[1]], (await Deployments.ListAlertsAsync(all[0].Id, limit: 1)).Select(a => a.DeploymentId));
        Assert.Empty(await Deployments.ListAlertsAsync(all[^1].Id));
    }

    [Fact]
    public async Task An_abort_ends_an_active_deployment_keeping_the_start_reason_without_one_of_its_own()
    {
        var ab = await StartAsync(Ab());
        Time.Advance(TimeSpan.FromHours(1));

        var aborted = await Deployments.AbortAsync(ab.Id, "bob", null);

        Assert.Equal((DeploymentState.Aborted, "try v2", (DateTimeOffset?)Start.AddHours(1)), (aborted!.State, aborted.Reason, aborted.EndedAt));
        var abortedEvent = (await Deployments.GetEventsAsync(ab.Id))[^1];
        Assert.Equal((DeploymentNames.Aborted, "bob", (string?)null), (abortedEvent.Action, abortedEvent.Actor, abortedEvent.Reason));
        Assert.Empty(await Deployments.ListAlertsAsync(null));
        Assert.Null(await Deployments.AbortAsync(ab.Id, "bob", "again"));
        Assert.Equal("try v2", (await Deployments.GetAsync(ab.Id))!.Reason);
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => Deployments.AbortAsync(ab.Id + 1, "bob", null));
    }
}
