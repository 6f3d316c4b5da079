using LeadScoring.Storage.Retraining;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>Worker claims: the oldest claimable run first, expiry and re-claim, renewal, release, and two workers racing.</summary>
public abstract partial class RetrainingContract
{
    [Fact]
    public async Task A_claim_takes_the_oldest_queued_run_and_sets_its_start_once()
    {
        var older = await Runs.CreateAsync(Manual(model: "m1"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var newer = await Runs.CreateAsync(Manual(model: "m2"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var now = Start.AddMinutes(2);

        var claimed = await Runs.ClaimNextAsync("worker-a", Lease);

        Assert.Equal(
            older with { ClaimedBy = "worker-a", ClaimedUntil = now + Lease, StartedAt = now },
            claimed);
        Assert.Equal(claimed, await Runs.GetAsync(older.Id));
        Assert.Equal(newer.Id, (await Open().ClaimNextAsync("worker-b", Lease))!.Id);
        Assert.Null(await Runs.ClaimNextAsync("worker-c", Lease));

        // A first claim is not an event; the status stays queued until the worker moves it.
        Assert.Equal(["queued"], (await Runs.GetEventsAsync(older.Id)).Select(e => e.Step));
        Assert.Equal(RetrainingStatus.Queued, claimed!.Status);
    }

    [Fact]
    public async Task A_working_run_whose_claim_expired_is_handed_out_again_keeping_its_start_with_a_reclaimed_event()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimNextAsync("worker-a", Lease);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Searching), "worker-a", worker: "worker-a");

        // Still held one tick before it expires; free at its expiry.
        Time.Advance(Lease - TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(10));
        Assert.Null(await Runs.ClaimNextAsync("worker-b", Lease));
        Time.Advance(TimeSpan.FromTicks(10));
        var expiredAt = Start + Lease;

        var reclaimed = await Open().ClaimNextAsync("worker-b", Lease);

        Assert.Equal(
            (run.Id, RetrainingStatus.Searching, "worker-b", (DateTimeOffset?)(expiredAt + Lease), (DateTimeOffset?)Start),
            (reclaimed!.Id, reclaimed.Status, reclaimed.ClaimedBy, reclaimed.ClaimedUntil, reclaimed.StartedAt));
        var reclaimedEvent = (await Runs.GetEventsAsync(run.Id))[^1];
        Assert.Equal((RetrainingNames.Reclaimed, "worker-b", expiredAt), (reclaimedEvent.Step, reclaimedEvent.Actor, reclaimedEvent.At));
        Assert.Contains("worker-a", reclaimedEvent.Detail, StringComparison.Ordinal);
        Assert.Contains("searching", reclaimedEvent.Detail, StringComparison.Ordinal);

        // The worker that lost it can neither move it nor renew it; the new holder can.
        var refused = await Assert.ThrowsAsync<RetrainingStateException>(
            () => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Training), "worker-a", worker: "worker-a"));
        Assert.Equal((run.Id, RetrainingStatus.Searching, RetrainingStatus.Training), (refused.RunId, refused.Status, refused.Requested));
        Assert.Contains("worker-b", refused.Message, StringComparison.Ordinal);
        Assert.False(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
        var training = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Training), "worker-b", worker: "worker-b");
        Assert.Equal(("worker-b", RetrainingStatus.Training), (training.ClaimedBy, training.Status));
    }

    [Fact]
    public async Task A_queued_run_whose_worker_died_before_moving_it_is_claimed_again()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimNextAsync("worker-a", Lease);
        Time.Advance(Lease);

        var reclaimed = await Runs.ClaimNextAsync("worker-b", Lease);

        Assert.Equal((run.Id, "worker-b", (DateTimeOffset?)Start), (reclaimed!.Id, reclaimed.ClaimedBy, reclaimed.StartedAt));
        Assert.Equal(["queued", RetrainingNames.Reclaimed], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task A_run_past_its_working_statuses_or_terminal_is_never_claimed()
    {
        var statuses = new[] { RetrainingStatus.Staged, RetrainingStatus.Shadow, RetrainingStatus.Canary, RetrainingStatus.AwaitingApproval, RetrainingStatus.Failed };
        for (var i = 0; i < statuses.Length; i++)
        {
            var run = await Runs.CreateAsync(Manual(model: $"m{i}"));
            await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(statuses[i]), "alice");
        }

        Time.Advance(TimeSpan.FromDays(30));
        Assert.Null(await Runs.ClaimNextAsync("worker-a", Lease));
    }

    [Fact]
    public async Task A_working_run_nobody_holds_is_claimable()
    {
        // Moved into a working status without a worker (by hand): nobody is working on it, so a worker may take it.
        var run = await Runs.CreateAsync(Manual());
        await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.PreparingData), "alice");

        var claimed = await Runs.ClaimNextAsync("worker-a", Lease);

        Assert.Equal((run.Id, RetrainingStatus.PreparingData, "worker-a"), (claimed!.Id, claimed.Status, claimed.ClaimedBy));
        Assert.Equal(["queued", "preparing_data"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task A_renewal_extends_the_holders_claim_and_revives_an_expired_one_nobody_took()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimNextAsync("worker-a", Lease);
        Time.Advance(TimeSpan.FromMinutes(4));

        Assert.True(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
        Assert.Equal(Start.AddMinutes(4) + Lease, (await Runs.GetAsync(run.Id))!.ClaimedUntil);
        Assert.False(await Runs.RenewClaimAsync(run.Id, "worker-b", Lease));
        Assert.False(await Runs.RenewClaimAsync(run.Id + 1, "worker-a", Lease));

        Time.Advance(Lease + TimeSpan.FromMinutes(1));
        Assert.True(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
        Assert.Null(await Runs.ClaimNextAsync("worker-b", Lease));
        var advanced = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.PreparingData), "worker-a", worker: "worker-a");
        Assert.Equal("worker-a", advanced.ClaimedBy);

        // Cancelled by a person: the claim is cleared and the worker's next renewal tells it to stop.
        var cancelled = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Cancelled, "stopped by alice"), "alice");
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (cancelled.ClaimedBy, cancelled.ClaimedUntil));
        Assert.False(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
    }

    [Fact]
    public async Task A_worker_must_hold_an_unexpired_claim_to_move_a_run()
    {
        var run = await Runs.CreateAsync(Manual());
        var noClaim = await Assert.ThrowsAsync<RetrainingStateException>(
            () => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.PreparingData), "worker-a", worker: "worker-a"));
        Assert.Contains("nobody", noClaim.Message, StringComparison.Ordinal);

        await Runs.ClaimNextAsync("worker-a", Lease);
        Time.Advance(Lease);
        await Assert.ThrowsAsync<RetrainingStateException>(
            () => Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.PreparingData), "worker-a", worker: "worker-a"));

        Assert.Equal(["queued"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
        Assert.Equal((RetrainingStatus.Queued, Start), ((await Runs.GetAsync(run.Id))!.Status, (await Runs.GetAsync(run.Id))!.UpdatedAt));
    }

    [Fact]
    public async Task Leaving_the_working_statuses_clears_the_claim_and_moving_between_them_keeps_it()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimNextAsync("worker-a", Lease);
        foreach (var status in RetrainingNames.WorkingStatuses)
        {
            var moved = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(status), "worker-a", worker: "worker-a");
            Assert.Equal(("worker-a", (DateTimeOffset?)(Start + Lease)), (moved.ClaimedBy, moved.ClaimedUntil));
        }

        var staged = await Runs.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Staged, CandidateVersion: 3), "worker-a", worker: "worker-a");

        Assert.Equal(((string?)null, (DateTimeOffset?)null, (int?)3), (staged.ClaimedBy, staged.ClaimedUntil, staged.CandidateVersion));
        Assert.False(await Runs.RenewClaimAsync(run.Id, "worker-a", Lease));
    }

    [Fact]
    public async Task A_released_claim_can_be_taken_at_once_and_only_its_holder_can_release_it()
    {
        var run = await Runs.CreateAsync(Manual());
        await Runs.ClaimNextAsync("worker-a", Lease);

        Assert.False(await Runs.ReleaseClaimAsync(run.Id, "worker-b"));
        Assert.True(await Runs.ReleaseClaimAsync(run.Id, "worker-a"));
        Assert.False(await Runs.ReleaseClaimAsync(run.Id, "worker-a"));

        var taken = await Runs.ClaimNextAsync("worker-b", Lease);
        Assert.Equal((run.Id, "worker-b"), (taken!.Id, taken.ClaimedBy));
        Assert.Equal(["queued"], (await Runs.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task Two_workers_claiming_at_once_never_get_the_same_run()
    {
        var stores = new[] { Runs, Open() };
        for (var round = 0; round < 5; round++)
        {
            var created = new List<long>();
            for (var i = 0; i < 6; i++)
            {
                created.Add((await Runs.CreateAsync(Manual(model: $"r{round}-m{i}"))).Id);
            }

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                await gate.Task;
                var mine = new List<long>();
                while (await stores[w].ClaimNextAsync($"worker-{w}", Lease) is { } run)
                {
                    Assert.Equal($"worker-{w}", run.ClaimedBy);
                    mine.Add(run.Id);
                }

                return mine;
            })).ToArray();
            gate.SetResult();

            var claims = await Task.WhenAll(workers);
            var all = claims.SelectMany(c => c).ToList();
            Assert.Equal(created, all.Order());
            for (var w = 0; w < claims.Length; w++)
            {
                foreach (var id in claims[w])
                {
                    Assert.Equal($"worker-{w}", (await Runs.GetAsync(id))!.ClaimedBy);
                }
            }

            // Finish the round's runs so the next round's claims see only its own.
            foreach (var id in created)
            {
                await Runs.AdvanceAsync(id, new RetrainingRunUpdate(RetrainingStatus.Failed), "test");
            }
        }
    }
}
