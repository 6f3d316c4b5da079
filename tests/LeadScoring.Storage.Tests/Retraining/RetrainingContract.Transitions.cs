using LeadScoring.Storage.Retraining;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>Status changes with their events, terminal refusals, broken updates, notes, and trials.</summary>
public abstract partial class RetrainingContract
{
    private const string Data = """{"rows":12000,"sha256":"ab12","from":"2025-01-01","to":"2025-03-01"}""";
    private const string Search = """{"trials":50,"best":7}""";
    private const string Gate = """{"passed":true,"auc":0.81,"production_auc":0.78}""";

    [Fact]
    public async Task A_run_goes_through_every_step_to_promoted_with_an_event_for_each_and_keeps_what_each_step_set()
    {
        var run = await Runs.CreateAsync(Drift());
        await Runs.ClaimNextAsync("worker-a", Lease);
        var steps = new (RetrainingRunUpdate Update, string? Detail)[]
        {
            (new(RetrainingStatus.PreparingData), null),
            (new(RetrainingStatus.Searching, "12000 mature labelled leads", DataJson: Data), "snapshot written"),
            (new(RetrainingStatus.Training, SearchJson: Search), "trial 7 won"),
            (new(RetrainingStatus.Gating), null),
            (new(RetrainingStatus.Staged, "passed the gate", GateJson: Gate, CandidateVersion: 4), "AUC +3.8 %"),
        };

        var minute = 0;
        foreach (var (update, detail) in steps)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            minute++;
            var moved = await Runs.AdvanceAsync(run.Id, update, "worker-a", detail, RetrainingNames.IsWorking(update.Status) ? "worker-a" : null);
            Assert.Equal((update.Status, Start.AddMinutes(minute), (DateTimeOffset?)null), (moved.Status, moved.UpdatedAt, moved.EndedAt));
        }

        Time.Advance(TimeSpan.FromDays(1));
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Shadow, DeploymentId: 17), "system:promotion", "shadow for 7 days");
        Time.Advance(TimeSpan.FromDays(7));
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Canary), "system:promotion");
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.AwaitingApproval), "system:promotion");
        var end = Start.AddMinutes(5).AddDays(8);
        var promoted = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Promoted, "approved by carol"), "carol", "looks good");

        Assert.Equal(
            run with
            {
                Status = RetrainingStatus.Promoted, StatusDetail = "approved by carol", DataJson = Data, SearchJson = Search, GateJson = Gate,
                CandidateVersion = 4, DeploymentId = 17, UpdatedAt = end, StartedAt = Start, EndedAt = end,
            },
            promoted);
        Assert.True(promoted.IsTerminal);
        Assert.Equal(promoted, await Open().GetAsync(run.Id));
        Assert.Null(await Runs.GetActiveAsync(Model));

        var events = await Runs.GetEventsAsync(run.Id);
        Assert.Equal(
            ["queued", "preparing_data", "searching", "training", "gating", "staged", "shadow", "canary", "awaiting_approval", "promoted"],
            events.Select(e => e.Step));
        Assert.Equal(("worker-a", (string?)"snapshot written", Start.AddMinutes(2)), (events[2].Actor, events[2].Detail, events[2].At));
        Assert.Equal(("carol", (string?)"looks good", end), (events[^1].Actor, events[^1].Detail, events[^1].At));
        Assert.Null(events[1].Detail);
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Id < pair.Second.Id));
    }

    [Fact]
    public async Task A_null_field_keeps_the_stored_value_and_a_set_one_replaces_it()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Searching, "trial 1 of 50", DataJson: Data), "worker-a");
        var moved = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Searching, "trial 2 of 50", SearchJson: Search), "worker-a");

        Assert.Equal(("trial 2 of 50", Data, Search, (string?)null), (moved.StatusDetail, moved.DataJson, moved.SearchJson, moved.GateJson));
        Assert.Equal((DateTimeOffset?)Start, moved.StartedAt);
        Assert.Equal(["queued", "searching", "searching"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    public static TheoryData<RetrainingStatus> TerminalStatuses => [.. RetrainingNames.TerminalStatuses];

    [Theory]
    [MemberData(nameof(TerminalStatuses))]
    public async Task A_terminal_run_never_changes_again_and_the_refusal_names_both_statuses(RetrainingStatus terminal)
    {
        var run = await Runs.CreateAsync(Manual());
        var ended = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(terminal, "the end", GateJson: Gate), "worker-a");
        Assert.Equal(((DateTimeOffset?)Start, true), (ended.EndedAt, ended.IsTerminal));
        Time.Advance(TimeSpan.FromHours(1));

        foreach (var next in new[] { RetrainingStatus.Queued, RetrainingStatus.Searching, RetrainingStatus.Staged, RetrainingStatus.Failed, terminal })
        {
            var refused = await Assert.ThrowsAsync<RetrainingStateException>(() => Open().AdvanceAsync(run.Id, new RetrainingRunUpdate(next, "again", Data), "alice"));
            Assert.Equal((run.Id, terminal, next), (refused.RunId, refused.Status, refused.Requested));
            Assert.Contains(RetrainingNames.Of(terminal), refused.Message, StringComparison.Ordinal);
            Assert.Contains(RetrainingNames.Of(next), refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(ended, await Runs.GetAsync(run.Id));
        Assert.Equal(2, (await Runs.GetEventsAsync(run.Id)).Count);
    }

    [Fact]
    public async Task Moving_an_unknown_run_is_not_found()
    {
        var refused = await Assert.ThrowsAsync<RetrainingNotFoundException>(() => Runs.AdvanceAsync(404, new RetrainingRunUpdate(RetrainingStatus.Failed), "alice"));
        Assert.Equal(404, refused.RunId);
        await Assert.ThrowsAsync<RetrainingNotFoundException>(() => Runs.AddEventAsync(404, "note", "alice"));
        await Assert.ThrowsAsync<RetrainingNotFoundException>(() => Runs.AddTrialsAsync(404, [Trial(404, 0)]));
    }

    public static TheoryData<RetrainingRunUpdate, string> BrokenUpdates => new()
    {
        { new((RetrainingStatus)99), "Status" },
        { new(RetrainingStatus.Searching, DataJson: "[]"), "DataJson" },
        { new(RetrainingStatus.Searching, DataJson: ""), "DataJson" },
        { new(RetrainingStatus.Searching, SearchJson: "{\"trials\":"), "SearchJson" },
        { new(RetrainingStatus.Gating, GateJson: "true"), "GateJson" },
        { new(RetrainingStatus.Staged, CandidateVersion: 0), "CandidateVersion" },
        { new(RetrainingStatus.Shadow, DeploymentId: 0), "DeploymentId" },
    };

    [Theory]
    [MemberData(nameof(BrokenUpdates))]
    public async Task A_broken_update_is_refused_naming_the_field_and_writes_nothing(RetrainingRunUpdate update, string field)
    {
        var run = await Runs.CreateAsync(Manual());

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Runs.AdvanceAsync(run.Id, update, "alice"));

        Assert.Equal(field, refused.ParamName);
        Assert.StartsWith(field + " ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(run, await Runs.GetAsync(run.Id));
        Assert.Single(await Runs.GetEventsAsync(run.Id));
    }

    [Fact]
    public async Task An_update_needs_an_actor_and_a_worker_named_must_not_be_blank()
    {
        var run = await Runs.CreateAsync(Manual());
        Assert.Equal("actor", (await Assert.ThrowsAsync<ArgumentException>(() => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Failed), " "))).ParamName);
        Assert.Equal("worker", (await Assert.ThrowsAsync<ArgumentException>(() => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Failed), "alice", worker: ""))).ParamName);
        Assert.Equal("worker", (await Assert.ThrowsAsync<ArgumentException>(() => Runs.ClaimNextAsync(" ", Lease))).ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Runs.ClaimNextAsync("worker-a", TimeSpan.Zero));
        Assert.Equal(RetrainingStatus.Queued, (await Runs.GetAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task A_failures_long_detail_is_cut_rather_than_refused()
    {
        var run = await Runs.CreateAsync(Manual());
        var stack = new string('x', RetrainingValidation.MaxDetailLength * 3);

        var failed = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Failed, stack), "worker-a", stack);

        Assert.Equal(RetrainingValidation.MaxDetailLength, failed.StatusDetail!.Length);
        Assert.EndsWith("x…", failed.StatusDetail, StringComparison.Ordinal);
        Assert.Equal(failed.StatusDetail, (await Runs.GetEventsAsync(run.Id))[^1].Detail);
    }

    [Fact]
    public async Task A_note_goes_on_the_audit_trail_of_any_run_without_changing_it()
    {
        var run = await Runs.CreateAsync(Manual());
        var ended = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.RolledBack), "system:guardrails");
        Time.Advance(TimeSpan.FromMinutes(3));

        var note = await Runs.AddEventAsync(run.Id, "rollback_alert_sent", "system:alerts", "paged the on-call");

        Assert.Equal((run.Id, Start.AddMinutes(3), "rollback_alert_sent", "system:alerts", (string?)"paged the on-call"), (note.RunId, note.At, note.Step, note.Actor, note.Detail));
        Assert.Equal(note, (await Runs.GetEventsAsync(run.Id))[^1]);
        Assert.Equal(ended, await Runs.GetAsync(run.Id));
        Assert.Equal("step", (await Assert.ThrowsAsync<ArgumentException>(() => Runs.AddEventAsync(run.Id, "", "alice"))).ParamName);
    }

    // ---- trials ----

    private static RetrainingTrial Trial(long runId, int number, string learner = "lightgbm", double? mean = 0.8125) => new(
        runId, number, learner, $$"""{"learningRate":0.05,"leaves":{{31 + number}}}""", "[0.79,0.8125,0.83]", mean, mean is null ? null : 0.83,
        mean is null ? "failed" : "completed", mean is null ? "out of memory" : null, 1234.5 + number);

    [Fact]
    public async Task Trials_are_stored_by_number_and_a_repeated_number_replaces_the_trial()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.AddTrialsAsync(run.Id, [Trial(run.Id, 2), Trial(run.Id, 0, mean: null), Trial(run.Id, 1, "logistic-regression", 0.1 + 0.2)]);

        var stored = await Open().GetTrialsAsync(run.Id);
        Assert.Equal([Trial(run.Id, 0, mean: null), Trial(run.Id, 1, "logistic-regression", 0.1 + 0.2), Trial(run.Id, 2)], stored);

        // Sent again (a retry) and one replaced: still one row per number.
        var replaced = Trial(run.Id, 1, "fasttree", 0.7) with { FoldScoresJson = """{"fold1":0.7}""" };
        await Runs.AddTrialsAsync(run.Id, [Trial(run.Id, 2), replaced, Trial(run.Id, 3)]);
        await Runs.AddTrialsAsync(run.Id, []);

        Assert.Equal([Trial(run.Id, 0, mean: null), replaced, Trial(run.Id, 2), Trial(run.Id, 3)], await Runs.GetTrialsAsync(run.Id));
        Assert.Empty(await Runs.GetTrialsAsync(run.Id + 1));
    }

    [Fact]
    public async Task Trials_of_one_run_are_not_another_runs()
    {
        var first = await Runs.CreateAsync(Manual(model: "m1"));
        var second = await Runs.CreateAsync(Manual(model: "m2"));
        await Runs.AddTrialsAsync(first.Id, [Trial(first.Id, 0)]);
        await Runs.AddTrialsAsync(second.Id, [Trial(second.Id, 0, "fasttree")]);

        Assert.Equal([Trial(first.Id, 0)], await Runs.GetTrialsAsync(first.Id));
        Assert.Equal([Trial(second.Id, 0, "fasttree")], await Runs.GetTrialsAsync(second.Id));
    }

    public static TheoryData<Func<long, RetrainingTrial>, string> BrokenTrials => new()
    {
        { id => Trial(id + 1, 0), "Trials[1].RunId" },
        { id => Trial(id, -1), "Trials[1].Number" },
        { id => Trial(id, 0, learner: " "), "Trials[1].Learner" },
        { id => Trial(id, 0) with { ParametersJson = "[]" }, "Trials[1].ParametersJson" },
        { id => Trial(id, 0) with { FoldScoresJson = "0.8" }, "Trials[1].FoldScoresJson" },
        { id => Trial(id, 0) with { FoldScoresJson = "[0.8" }, "Trials[1].FoldScoresJson" },
        { id => Trial(id, 0, mean: double.NaN), "Trials[1].MeanScore" },
        { id => Trial(id, 0) with { LatestFoldScore = double.PositiveInfinity }, "Trials[1].LatestFoldScore" },
        { id => Trial(id, 0) with { Status = "" }, "Trials[1].Status" },
        { id => Trial(id, 0) with { DurationMs = -1 }, "Trials[1].DurationMs" },
        { id => Trial(id, 0) with { DurationMs = double.NaN }, "Trials[1].DurationMs" },
    };

    [Theory]
    [MemberData(nameof(BrokenTrials))]
    public async Task A_broken_trial_is_refused_naming_the_field_and_no_trial_of_the_batch_is_written(Func<long, RetrainingTrial> broken, string field)
    {
        var run = await Runs.CreateAsync(Manual());

        // The broken trial comes second: the first, valid, is not written either.
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Runs.AddTrialsAsync(run.Id, [Trial(run.Id, 5), broken(run.Id)]));

        Assert.Equal(field, refused.ParamName);
        Assert.StartsWith(field + " ", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Runs.GetTrialsAsync(run.Id));
    }
}
