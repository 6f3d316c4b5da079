using System.Globalization;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>
/// What the scope reader must do on every database: list each (version, arm) that scored in the half-open window
/// with its distinct leads and its requests, in (version, arm) order, and give a scope's requests and latency percentiles.
/// </summary>
public abstract class MonitoringScopeContract : StoreContract<MonitoringWindowStores>
{
    private const string Model = "lead-scoring";

    private static readonly DateTimeOffset March = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private int _requests;

    private protected override MonitoringWindowStores OpenStore(SqlDatabase database) => new(database);

    private PredictionRecord Score(string lead, DateTimeOffset at, int version = 1, string arm = ServingArms.Champion, string model = Model, long latency = 900) =>
        new(string.Create(CultureInfo.InvariantCulture, $"req-{++_requests}"), lead, at, model, version, arm, 0.5, "warm", latency, "{}");

    [Fact]
    public async Task Scopes_are_each_version_and_arm_with_a_score_in_the_window_with_leads_and_requests()
    {
        await Store.Log.AppendAsync(
        [
            Score("a", March.AddDays(1)), Score("a", March.AddDays(2)), Score("b", March.AddDays(3)),
            Score("c", March.AddDays(4), version: 2, arm: ServingArms.Challenger),
            Score("d", March.AddDays(4), version: 1, arm: ServingArms.Shadow),
            Score("e", March, version: 3, arm: ServingArms.Challenger),
            Score("before", March.AddTicks(-10), version: 4), Score("at-to", April, version: 5),
            Score("other-model", March.AddDays(1), version: 6, model: "other"),
        ]);

        var scopes = await Store.Monitoring.Scopes.ListAsync(Model, March, April);

        Assert.Equal(
            [
                new MonitoringScope(1, ServingArms.Champion, 2, 3),
                new MonitoringScope(1, ServingArms.Shadow, 1, 1),
                new MonitoringScope(2, ServingArms.Challenger, 1, 1),
                new MonitoringScope(3, ServingArms.Challenger, 1, 1),
            ],
            scopes);
        Assert.Equal([new MonitoringScope(5, ServingArms.Champion, 1, 1)], await Store.Monitoring.Scopes.ListAsync(Model, April, April.AddDays(1)));
        Assert.Empty(await Store.Monitoring.Scopes.ListAsync(Model, April.AddTicks(10), April.AddDays(1)));
    }

    [Fact]
    public async Task Operations_count_a_scopes_requests_and_take_nearest_rank_latency_percentiles()
    {
        // 100 champion scores with latencies 1..100 µs, and a challenger's much slower ones that must not count.
        await Store.Log.AppendAsync([.. Enumerable.Range(1, 100).Select(i => Score("lead-" + i, March.AddMinutes(i), latency: 101 - i))]);
        await Store.Log.AppendAsync([Score("slow", March.AddDays(1), version: 2, arm: ServingArms.Challenger, latency: 1_000_000)]);

        var champion = await Store.Monitoring.Scopes.ReadOperationsAsync(Model, 1, ServingArms.Champion, March, April);
        var every = await Store.Monitoring.Scopes.ReadOperationsAsync(Model, null, null, March, April);
        var none = await Store.Monitoring.Scopes.ReadOperationsAsync(Model, 7, null, March, April);

        Assert.Equal(new MonitoringOperations(100, 50, 95, 99), champion);
        Assert.Equal(101, every.Requests);
        Assert.Equal(51, every.LatencyP50Microseconds);
        Assert.Equal(100, every.LatencyP99Microseconds);
        Assert.Equal(new MonitoringOperations(0, null, null, null), none);
    }

    [Fact]
    public async Task A_bad_window_or_scope_is_refused_naming_it()
    {
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => Store.Monitoring.Scopes.ListAsync(" ", March, April));
        var backwards = await Assert.ThrowsAsync<ArgumentException>(() => Store.Monitoring.Scopes.ListAsync(Model, April, March));
        var arm = await Assert.ThrowsAsync<ArgumentException>(() => Store.Monitoring.Scopes.ReadOperationsAsync(Model, 1, "canary", March, April));

        Assert.Equal("modelName", empty.ParamName);
        Assert.Equal("to", backwards.ParamName);
        Assert.Equal("scope.Arm", arm.ParamName);
    }
}
