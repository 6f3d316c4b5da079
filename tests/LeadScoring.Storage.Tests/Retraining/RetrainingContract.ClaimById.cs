using LeadScoring.Storage.Retraining;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>
/// Claims of one run by id (the CLI works the run it queued itself, not the oldest): a queued run, refused while
/// another worker's claim runs, never a run past its working statuses, and a take-over of an expired claim.
/// </summary>
public abstract partial class RetrainingContract
{
    [Fact]
    public async Task A_claim_by_id_takes_that_queued_run_not_the_oldest_and_sets_its_start()
    {
        var older = await Runs.CreateAsync(Manual(model: "m1"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var mine = await Runs.CreateAsync(Manual(model: "m2"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var now = Start.AddMinutes(2);

        var claimed = await Runs.ClaimAsync(mine.Id, "cli:alice", Lease);

        Assert.Equal(mine with { ClaimedBy = "cli:alice", ClaimedUntil = now + Lease, StartedAt = now }, claimed);
        Assert.Equal(claimed, await Open().GetAsync(mine.Id));
        Assert.Equal(older, await Runs.GetAsync(older.Id));
        Assert.Equal(["queued"], (await Runs.GetEventsAsync(mine.Id)).Select(e => e.Step));

        // The claimer may move it; a worker looking for the oldest claimable run gets the other one.
        var preparing = await Runs.AdvanceAsync(mine.Id, new RetrainingRunUpdate(RetrainingStatus.PreparingData), "retraining", worker: "cli:alice");
        Assert.Equal(("cli:alice", RetrainingStatus.PreparingData), (preparing.ClaimedBy, preparing.Status));
        Assert.Equal(older.Id, (await Runs.ClaimNextAsync("worker-a", Lease))!.Id);
    }

    [Fact]
    public async Task A_claim_by_id_is_refused_while_another_workers_claim_runs_and_changes_nothing()
    {
        var run = await Runs.CreateAsync(Manual());
        var held = await Runs.ClaimNextAsync("worker-a", Lease);
        Time.Advance(Lease - TimeSpan.FromTicks(10));

        Assert.Null(await Open().ClaimAsync(run.Id, "cli:alice", Lease));
        Assert.Null(await Runs.ClaimAsync(run.Id, "worker-a", Lease));

        Assert.Equal(held, await Runs.GetAsync(run.Id));
        Assert.Equal(["queued"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
        Assert.True(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
    }

    [Fact]
    public async Task A_claim_by_id_is_refused_for_a_run_past_its_working_statuses_a_terminal_run_or_an_unknown_id()
    {
        var statuses = new[]
        {
            RetrainingStatus.Staged, RetrainingStatus.Shadow, RetrainingStatus.AwaitingApproval,
            RetrainingStatus.Promoted, RetrainingStatus.GateFailed, RetrainingStatus.Failed, RetrainingStatus.Cancelled,
        };
        var runs = new List<RetrainingRun>();
        for (var i = 0; i < statuses.Length; i++)
        {
            var run = await Runs.CreateAsync(Manual(model: $"m{i}"));
            runs.Add(await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(statuses[i]), "alice"));
        }

        Time.Advance(TimeSpan.FromDays(30));
        foreach (var run in runs)
        {
            Assert.Null(await Runs.ClaimAsync(run.Id, "cli:alice", Lease));
            Assert.Equal(run, await Runs.GetAsync(run.Id));
        }

        Assert.Null(await Runs.ClaimAsync(runs[^1].Id + 1, "cli:alice", Lease));
    }

    [Fact]
    public async Task A_claim_by_id_takes_over_an_expired_claim_keeping_status_and_start_with_a_reclaimed_event()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimAsync(run.Id, "worker-a", Lease);
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Searching), "retraining", worker: "worker-a");
        Time.Advance(Lease);
        var expiredAt = Start + Lease;

        var taken = await Open().ClaimAsync(run.Id, "worker-b", Lease);

        Assert.Equal(
            (RetrainingStatus.Searching, "worker-b", (DateTimeOffset?)(expiredAt + Lease), (DateTimeOffset?)Start),
            (taken!.Status, taken.ClaimedBy, taken.ClaimedUntil, taken.StartedAt));
        var reclaimed = (await Runs.GetEventsAsync(run.Id))[^1];
        Assert.Equal((RetrainingNames.Reclaimed, "worker-b", expiredAt), (reclaimed.Step, reclaimed.Actor, reclaimed.At));
        Assert.Contains("worker-a", reclaimed.Detail, StringComparison.Ordinal);

        // The worker that lost it can no longer move it or renew its claim.
        await Assert.ThrowsAsync<RetrainingStateException>(
            () => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Training), "retraining", worker: "worker-a"));
        Assert.False(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
    }

    [Fact]
    public async Task A_claim_by_id_of_a_released_claim_is_taken_at_once_without_an_event_and_bad_arguments_are_refused()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimAsync(run.Id, "worker-a", Lease);
        await Runs.ReleaseClaimAsync(run.Id, "worker-a");

        Assert.Equal("cli:alice", (await Runs.ClaimAsync(run.Id, "cli:alice", Lease))!.ClaimedBy);
        Assert.Equal(["queued"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));

        Assert.Equal("worker", (await Assert.ThrowsAsync<ArgumentException>(() => Runs.ClaimAsync(run.Id, " ", Lease))).ParamName);
        Assert.Equal("lease", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Runs.ClaimAsync(run.Id, "worker-b", TimeSpan.Zero))).ParamName);
    }
}
