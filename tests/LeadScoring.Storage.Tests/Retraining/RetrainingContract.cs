using System.Globalization;
using LeadScoring.Storage.Retraining;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>
/// What the retraining runs must do on every database: create (one unfinished run per model, also under a race
/// between two processes; every rule naming its field; a refused create writes nothing), reads and paged lists,
/// status changes with their events (terminal runs never change), worker claims with expiry and re-claim (two
/// workers never share a run), and idempotent trials.
/// </summary>
public abstract partial class RetrainingContract : StoreContract<RetrainingStore>
{
    private const string Model = "lead-scoring";
    private const string Options = """{"trials":50,"folds":5,"seed":42}""";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private RetrainingStore Runs => Store;

    private protected override RetrainingStore OpenStore(SqlDatabase database) => new(database);

    private static NewRetrainingRun Drift(string model = Model) =>
        new(model, RetrainingTrigger.Drift, "overall PSI 0.31 > 0.25", "system:monitoring", "drift on the served model", Options);

    private static NewRetrainingRun Manual(string model = Model, string? reason = "pricing changed") =>
        new(model, RetrainingTrigger.Manual, null, "alice", reason, Options);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    // ---- create ----

    [Fact]
    public async Task A_created_run_is_queued_with_a_queued_event_by_its_requester()
    {
        var run = await Runs.CreateAsync(Drift());

        Assert.True(run.Id > 0);
        var expected = new RetrainingRun(
            run.Id, Model, RetrainingTrigger.Drift, "overall PSI 0.31 > 0.25", "system:monitoring", "drift on the served model", RetrainingStatus.Queued, null,
            Options, null, null, null, null, null, Start, Start, null, null, null, null);
        Assert.Equal(expected, run);
        Assert.False(run.IsTerminal);
        Assert.Equal(run, await Runs.GetAsync(run.Id));
        Assert.Equal(run, await Open().GetActiveAsync(Model));
        var queued = Assert.Single(await Runs.GetEventsAsync(run.Id));
        Assert.Equal((run.Id, Start, "queued", "system:monitoring", (string?)"drift on the served model"), (queued.RunId, queued.At, queued.Step, queued.Actor, queued.Detail));
        Assert.Null(await Runs.GetAsync(run.Id + 1));
        Assert.Null(await Runs.GetActiveAsync("other"));
        Assert.Empty(await Runs.GetEventsAsync(run.Id + 1));
    }

    [Fact]
    public async Task Without_a_reason_the_queued_event_tells_the_triggers_detail()
    {
        var run = await Runs.CreateAsync(Drift() with { Reason = null });
        Assert.Equal("overall PSI 0.31 > 0.25", Assert.Single(await Runs.GetEventsAsync(run.Id)).Detail);
    }

    [Fact]
    public async Task A_second_unfinished_run_of_a_model_is_a_conflict_naming_the_active_one_and_writes_nothing()
    {
        var first = await Runs.CreateAsync(Drift());
        await Runs.AdvanceAsync(first.Id, new RetrainingRunUpdate(RetrainingStatus.Staged), "worker-a");

        var refused = await Assert.ThrowsAsync<RetrainingConflictException>(() => Runs.CreateAsync(Manual()));

        Assert.Equal(first.Id, refused.ActiveRunId);
        Assert.Contains(Id(first.Id), refused.Message, StringComparison.Ordinal);
        Assert.Single((await Runs.ListAsync(new RetrainingQuery())).Runs);

        // Another model is free; once the first run is terminal, the model is free again.
        await Runs.CreateAsync(Manual(model: "other"));
        await Runs.AdvanceAsync(first.Id, new RetrainingRunUpdate(RetrainingStatus.Cancelled), "alice");
        var second = await Runs.CreateAsync(Manual());
        Assert.Equal(second, await Runs.GetActiveAsync(Model));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_model_from_two_processes_leave_exactly_one_run()
    {
        var stores = new[] { Runs, Open() };
        for (var round = 0; round < 10; round++)
        {
            var model = $"race-{round}";
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = stores.Select(store => Task.Run(async () =>
            {
                await gate.Task;
                try
                {
                    return (Run: await store.CreateAsync(Manual(model: model)), Refused: (RetrainingConflictException?)null);
                }
                catch (RetrainingConflictException e)
                {
                    return (Run: (RetrainingRun?)null, Refused: e);
                }
            })).ToArray();
            gate.SetResult();

            var results = await Task.WhenAll(racers);
            var winner = Assert.Single(results, r => r.Run is not null).Run!;
            var loser = Assert.Single(results, r => r.Refused is not null).Refused!;
            Assert.Equal(winner.Id, loser.ActiveRunId);
            Assert.Equal(winner.Id, Assert.Single((await Runs.ListAsync(new RetrainingQuery(model))).Runs).Id);
            Assert.Single(await Runs.GetEventsAsync(winner.Id));
        }
    }

    public static TheoryData<NewRetrainingRun, string> BrokenRuns => new()
    {
        { Manual() with { ModelName = "has space" }, "ModelName" },
        { Manual() with { ModelName = ".." }, "ModelName" },
        { Manual() with { Trigger = (RetrainingTrigger)9 }, "Trigger" },
        { Manual() with { TriggerDetail = new string('d', RetrainingValidation.MaxReasonLength + 1) }, "TriggerDetail" },
        { Manual() with { RequestedBy = " " }, "RequestedBy" },
        { Manual() with { RequestedBy = new string('a', RetrainingValidation.MaxNameLength + 1) }, "RequestedBy" },
        { Manual() with { Reason = new string('r', RetrainingValidation.MaxReasonLength + 1) }, "Reason" },
        { Manual() with { OptionsJson = null! }, "OptionsJson" },
        { Manual() with { OptionsJson = "" }, "OptionsJson" },
        { Manual() with { OptionsJson = "{\"trials\":" }, "OptionsJson" },
        { Manual() with { OptionsJson = "[1, 2]" }, "OptionsJson" },
        { Manual() with { OptionsJson = "50" }, "OptionsJson" },
    };

    [Theory]
    [MemberData(nameof(BrokenRuns))]
    public async Task A_broken_run_is_refused_naming_the_field_and_writes_nothing(NewRetrainingRun run, string field)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Runs.CreateAsync(run));

        Assert.Equal(field, refused.ParamName);
        Assert.StartsWith(field + " ", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await Runs.ListAsync(new RetrainingQuery())).Runs);
    }

    // ---- reads and lists ----

    [Fact]
    public async Task The_latest_run_is_the_newest_of_the_model_by_id_of_any_status_or_of_one_trigger()
    {
        Assert.Null(await Runs.GetLatestAsync(Model, null));
        var drift = await Runs.CreateAsync(Drift());
        await Runs.AdvanceAsync(drift.Id, new RetrainingRunUpdate(RetrainingStatus.GateFailed), "worker-a");
        Time.Advance(TimeSpan.FromDays(1));
        var manual = await Runs.CreateAsync(Manual());
        await Runs.CreateAsync(Drift(model: "other"));

        Assert.Equal(manual, await Runs.GetLatestAsync(Model, null));
        Assert.Equal(manual, await Runs.GetLatestAsync(Model, RetrainingTrigger.Manual));
        var latestDrift = await Runs.GetLatestAsync(Model, RetrainingTrigger.Drift);
        Assert.Equal((drift.Id, RetrainingStatus.GateFailed), (latestDrift!.Id, latestDrift.Status));
        Assert.Null(await Runs.GetLatestAsync(Model, RetrainingTrigger.Schedule));
        Assert.Null(await Runs.GetLatestAsync("nobody", null));
    }

    [Fact]
    public async Task A_list_pages_newest_first_by_id_and_applies_only_the_set_filters()
    {
        // Seven runs: models m0–m2 in turn, the first six ended (failed or promoted), each trigger in turn.
        var runs = new List<RetrainingRun>();
        for (var i = 0; i < 7; i++)
        {
            var trigger = (RetrainingTrigger)(i % 3);
            var run = await Runs.CreateAsync(new NewRetrainingRun($"m{i % 3}", trigger, null, "alice", null, Options));
            if (i < 6)
            {
                run = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(i % 2 == 0 ? RetrainingStatus.Failed : RetrainingStatus.Promoted), "worker-a");
            }

            runs.Add(run);
        }

        var newestFirst = runs.Select(r => r.Id).Reverse().ToList();
        var first = await Runs.ListAsync(new RetrainingQuery(PageSize: 3));
        Assert.Equal(newestFirst[..3], first.Runs.Select(r => r.Id));
        Assert.Equal(newestFirst[2], first.NextBefore);
        var second = await Runs.ListAsync(new RetrainingQuery(Before: first.NextBefore, PageSize: 3));
        Assert.Equal(newestFirst[3..6], second.Runs.Select(r => r.Id));
        var last = await Runs.ListAsync(new RetrainingQuery(Before: second.NextBefore, PageSize: 3));
        Assert.Equal(newestFirst[6..], last.Runs.Select(r => r.Id));
        Assert.Null(last.NextBefore);
        Assert.Equal(runs[^1], first.Runs[0]);

        // A page exactly as long as what is left has no next page.
        Assert.Null((await Runs.ListAsync(new RetrainingQuery(PageSize: 7))).NextBefore);

        Assert.Equal([runs[6].Id, runs[3].Id, runs[0].Id], (await Runs.ListAsync(new RetrainingQuery("m0"))).Runs.Select(r => r.Id));
        Assert.Equal([runs[4].Id, runs[2].Id, runs[0].Id], (await Runs.ListAsync(new RetrainingQuery(Status: RetrainingStatus.Failed))).Runs.Select(r => r.Id));
        Assert.Equal([runs[5].Id, runs[2].Id], (await Runs.ListAsync(new RetrainingQuery(Trigger: RetrainingTrigger.Schedule))).Runs.Select(r => r.Id));
        Assert.Equal([runs[3].Id], (await Runs.ListAsync(new RetrainingQuery("m0", RetrainingStatus.Promoted, RetrainingTrigger.Manual))).Runs.Select(r => r.Id));
        Assert.Equal([runs[6].Id], (await Runs.ListAsync(new RetrainingQuery(Status: RetrainingStatus.Queued))).Runs.Select(r => r.Id));
        Assert.Empty((await Runs.ListAsync(new RetrainingQuery("nobody"))).Runs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(RetrainingStore.MaxPageSize + 1)]
    public async Task A_page_size_outside_1_to_500_is_refused(int pageSize)
    {
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Runs.ListAsync(new RetrainingQuery(PageSize: pageSize)));
        Assert.Equal("PageSize", refused.ParamName);
        Assert.Empty((await Runs.ListAsync(new RetrainingQuery(PageSize: RetrainingStore.MaxPageSize))).Runs);
        await Assert.ThrowsAsync<ArgumentException>(() => Runs.ListAsync(new RetrainingQuery(Status: (RetrainingStatus)99)));
    }

    [Fact]
    public async Task The_unfinished_runs_are_every_run_that_is_not_terminal_oldest_first()
    {
        var statuses = new[]
        {
            RetrainingStatus.Queued, RetrainingStatus.Searching, RetrainingStatus.Promoted, RetrainingStatus.Staged, RetrainingStatus.Cancelled,
            RetrainingStatus.Shadow, RetrainingStatus.Canary, RetrainingStatus.AwaitingApproval, RetrainingStatus.RolledBack,
        };
        var ids = new List<long>();
        for (var i = 0; i < statuses.Length; i++)
        {
            var run = await Runs.CreateAsync(Manual(model: $"m{i}"));
            if (statuses[i] != RetrainingStatus.Queued)
            {
                await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(statuses[i]), "worker-a");
            }

            ids.Add(run.Id);
        }

        var unfinished = await Open().ListUnfinishedAsync();

        Assert.Equal([ids[0], ids[1], ids[3], ids[5], ids[6], ids[7]], unfinished.Select(r => r.Id));
        Assert.All(unfinished, r => Assert.False(r.IsTerminal));
    }
}
