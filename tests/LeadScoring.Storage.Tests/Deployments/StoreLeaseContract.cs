using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Deployments;

/// <summary>
/// What the store lease must do on every database: of two owners racing for it (each in its own "process", really
/// concurrently, many rounds) exactly one gets it; the holder renews it; an expired lease is taken over; a release
/// frees it at once, and only its holder can release it.
/// </summary>
public abstract class StoreLeaseContract : StoreContract<StoreLease>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private StoreLease Lease => Store;

    private protected override StoreLease OpenStore(SqlDatabase database) => new(database);

    [Fact]
    public async Task Of_two_owners_racing_for_a_lease_exactly_one_gets_it_every_time()
    {
        var leases = new[] { Lease, Open() };
        var wins = new int[2];
        for (var round = 0; round < 100; round++)
        {
            var name = $"evaluator-{round}";
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await leases[i].TryAcquireAsync(name, $"replica-{i}", Ttl);
            })).ToArray();
            gate.SetResult();

            var results = await Task.WhenAll(racers);
            Assert.Equal(1, results.Count(won => won));
            var winner = Array.IndexOf(results, true);
            wins[winner]++;
            Assert.Equal($"replica-{winner}", (await Lease.GetHolderAsync(name))!.Value.Owner);
            // The loser keeps losing while the winner holds it.
            Assert.False(await leases[1 - winner].TryAcquireAsync(name, $"replica-{1 - winner}", Ttl));
        }

        Assert.Equal(100, wins.Sum());
    }

    [Fact]
    public async Task The_holder_renews_the_lease_and_keeps_it_past_the_first_expiry()
    {
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));
        Assert.Equal(("replica-a", Start + Ttl), (await Lease.GetHolderAsync("evaluator"))!.Value);

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));
        Assert.Equal(Start.AddSeconds(20) + Ttl, (await Lease.GetHolderAsync("evaluator"))!.Value.ExpiresAt);

        // Past the first expiry, but renewed: still the holder's.
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await Open().TryAcquireAsync("evaluator", "replica-b", Ttl));
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_its_old_holder_then_loses_it()
    {
        var other = Open();
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));

        Time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.False(await other.TryAcquireAsync("evaluator", "replica-b", Ttl));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await other.TryAcquireAsync("evaluator", "replica-b", Ttl));
        Assert.Equal(("replica-b", Start + Ttl + Ttl), (await Lease.GetHolderAsync("evaluator"))!.Value);
        Assert.False(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));
    }

    [Fact]
    public async Task A_release_frees_the_lease_at_once_and_only_the_holder_can_release()
    {
        var other = Open();
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));

        Assert.False(await other.ReleaseAsync("evaluator", "replica-b"));
        Assert.False(await other.TryAcquireAsync("evaluator", "replica-b", Ttl));

        Assert.True(await Lease.ReleaseAsync("evaluator", "replica-a"));
        Assert.Null(await Lease.GetHolderAsync("evaluator"));
        Assert.True(await other.TryAcquireAsync("evaluator", "replica-b", Ttl));
        Assert.False(await Lease.ReleaseAsync("evaluator", "replica-a"));
    }

    [Fact]
    public async Task Leases_of_different_names_are_independent()
    {
        Assert.True(await Lease.TryAcquireAsync("evaluator", "replica-a", Ttl));
        Assert.True(await Open().TryAcquireAsync("alerts", "replica-b", Ttl));
        Assert.False(await Lease.TryAcquireAsync("alerts", "replica-a", Ttl));
    }
}
