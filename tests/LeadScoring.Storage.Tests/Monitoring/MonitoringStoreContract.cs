using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>What the monitoring store must do on every database; every test runs once per provider.</summary>
public abstract class MonitoringStoreContract : StoreContract<MonitoringStore>
{
    private const string Model = "lead-scoring";

    // Microseconds on purpose: both databases must keep them.
    private static readonly DateTimeOffset Day = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

    private protected override MonitoringStore OpenStore(SqlDatabase database) => new(database);

    private static MonitoringRun Run(int day, string kind = MonitoringRunKinds.Daily, int? version = 3, string? arm = ServingArms.Champion, string status = MonitoringRunStatuses.Ok, string model = Model) =>
        new(kind, model, version, arm, Day.AddDays(day), Day.AddDays(day + 1), Day.AddDays(day + 1).AddMinutes(5), Day.AddDays(day + 1).AddMinutes(6), status, $$"""{"rows":{{1000 + day}},"drifted":["country"]}""", null);

    private static MonitoringFigure[] Figures(double auc) =>
    [
        new("roc_auc", null, auc),
        new("psi", "country", 0.31, 0.0001, "critical"),
        new("psi", "total_visits", 0.02, 0.64, "ok"),
        new("missing_rate", "country", 0, null, null),
    ];

    [Fact]
    public async Task A_run_and_its_figures_round_trip_with_microseconds_and_nulls()
    {
        var plusTwo = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(9_876_547);
        var run = new MonitoringRun(MonitoringRunKinds.Manual, Model, null, null, plusTwo, plusTwo.AddHours(1), plusTwo.AddHours(2), plusTwo.AddHours(2), MonitoringRunStatuses.InsufficientData, """{"rows":3}""", "reports/run-1.html");

        var id = await Store.RecordRunAsync(run, Figures(0.81));

        var detail = await Store.GetRunAsync(id);
        Assert.NotNull(detail);
        var stored = plusTwo.AddTicks(-7).ToUniversalTime();
        Assert.Equal(run with { WindowFrom = stored, WindowTo = stored.AddHours(1), StartedAt = stored.AddHours(2), FinishedAt = stored.AddHours(2) }, detail.Run.Run);
        Assert.Equal(TimeSpan.Zero, detail.Run.Run.WindowFrom.Offset);
        Assert.Equal(
            [new("missing_rate", "country", 0), new("psi", "country", 0.31, 0.0001, "critical"), new("psi", "total_visits", 0.02, 0.64, "ok"), new("roc_auc", null, 0.81)],
            detail.Figures);
        Assert.Null(await Store.GetRunAsync(id + 1));
    }

    [Fact]
    public async Task A_run_without_figures_is_kept_and_ids_grow()
    {
        var first = await Store.RecordRunAsync(Run(0, status: MonitoringRunStatuses.Failed), []);
        var second = await Store.RecordRunAsync(Run(1), Figures(0.8));

        Assert.True(second > first);
        Assert.Empty((await Store.GetRunAsync(first))!.Figures);
        Assert.Equal(4, (await Store.GetRunAsync(second))!.Figures.Count);
    }

    [Fact]
    public async Task Hundreds_of_figures_are_written_in_one_run()
    {
        var many = Enumerable.Range(0, 450).Select(i => new MonitoringFigure("psi", $"feature-{i:D3}", i / 1000.0, 0.5, "ok")).ToArray();

        var id = await Store.RecordRunAsync(Run(0), many);

        Assert.Equal(many, (await Store.GetRunAsync(id))!.Figures);
    }

    [Fact]
    public async Task A_bad_run_or_figure_is_refused_naming_the_field_and_nothing_is_written()
    {
        async Task Refused(string field, MonitoringRun run, params MonitoringFigure[] figures)
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() => Store.RecordRunAsync(run, figures));
            Assert.Equal(field, e.ParamName);
        }

        await Refused("run.Kind", Run(0) with { Kind = "yearly" });
        await Refused("run.ModelName", Run(0) with { ModelName = " " });
        await Refused("run.ModelVersion", Run(0, version: 0));
        await Refused("run.Arm", Run(0, arm: "blue"));
        await Refused("run.WindowTo", Run(0) with { WindowTo = Day });
        await Refused("run.FinishedAt", Run(0) with { FinishedAt = Day });
        await Refused("run.Status", Run(0) with { Status = "fine" });
        await Refused("run.SummaryJson", Run(0) with { SummaryJson = "[1]" });
        await Refused("run.SummaryJson", Run(0) with { SummaryJson = "{" });
        await Refused("figures[1].Value", Run(0), new("a", null, 1), new("b", null, double.NaN));
        await Refused("figures[0].Value", Run(0), new MonitoringFigure("a", null, double.PositiveInfinity));
        await Refused("figures[0].PValue", Run(0), new MonitoringFigure("a", null, 1, 1.5));
        await Refused("figures[0].Metric", Run(0), new MonitoringFigure("", null, 1));
        await Refused("figures[2]", Run(0), new("psi", "x", 1), new("psi", null, 1), new("psi", "x", 2));

        Assert.Empty((await Store.ListRunsAsync(new MonitoringRunFilter())).Rows);
    }

    [Fact]
    public async Task Listing_filters_by_model_scope_kind_and_window_end_and_pages_newest_first()
    {
        var ids = new List<long>();
        for (var day = 0; day < 7; day++)
        {
            ids.Add(await Store.RecordRunAsync(Run(day), Figures(0.8)));
        }

        var hourly = await Store.RecordRunAsync(Run(2, kind: MonitoringRunKinds.Hourly), []);
        var allArms = await Store.RecordRunAsync(Run(2, arm: null), []);
        var allVersions = await Store.RecordRunAsync(Run(2, version: null, arm: null), []);
        var challenger = await Store.RecordRunAsync(Run(2, version: 4, arm: ServingArms.Challenger), []);
        var other = await Store.RecordRunAsync(Run(2, model: "other-model"), []);

        async Task<List<long>> All(MonitoringRunFilter filter, int pageSize)
        {
            var found = new List<long>();
            long? before = null;
            do
            {
                var page = await Store.ListRunsAsync(filter, before, pageSize);
                Assert.True(page.Rows.Count <= pageSize);
                found.AddRange(page.Rows.Select(r => r.Id));
                before = page.NextBefore;
            }
            while (before is not null);
            return found;
        }

        Assert.Equal([other, challenger, allVersions, allArms, hourly, .. ids.AsEnumerable().Reverse()], await All(new MonitoringRunFilter(), 3));
        Assert.Equal([challenger, allVersions, allArms, hourly, .. ids.AsEnumerable().Reverse()], await All(new MonitoringRunFilter(Model), 100));
        Assert.Equal([allArms, hourly, .. ids.AsEnumerable().Reverse()], await All(new MonitoringRunFilter(Model, 3), 2));
        Assert.Equal([challenger], await All(new MonitoringRunFilter(Model, Arm: ServingArms.Challenger), 1));
        Assert.Equal([hourly], await All(new MonitoringRunFilter(Kind: MonitoringRunKinds.Hourly), 5));
        // Windows ending in [day 3, day 5): the runs of days 2 and 3.
        Assert.Equal([challenger, allVersions, allArms, hourly, ids[3], ids[2]], await All(new MonitoringRunFilter(Model, From: Day.AddDays(3), To: Day.AddDays(5)), 4));
        Assert.Equal(MonitoringRunStatuses.Ok, (await Store.ListRunsAsync(new MonitoringRunFilter(Model), null, 1)).Rows[0].Run.Status);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListRunsAsync(new MonitoringRunFilter(), null, MonitoringStore.MaxPageSize + 1));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListRunsAsync(new MonitoringRunFilter(Kind: "yearly")));
    }

    [Fact]
    public async Task A_series_is_one_figure_of_one_scope_ordered_by_window()
    {
        // Recorded out of order: the series comes back by window end.
        var day2 = await Store.RecordRunAsync(Run(2), Figures(0.78));
        var day0 = await Store.RecordRunAsync(Run(0), Figures(0.82));
        var day1 = await Store.RecordRunAsync(Run(1, status: MonitoringRunStatuses.InsufficientData), [new("psi", "country", 0.5, 0.01, "critical")]);
        await Store.RecordRunAsync(Run(1, arm: null), Figures(0.5));
        await Store.RecordRunAsync(Run(1, version: null, arm: null), Figures(0.6));
        await Store.RecordRunAsync(Run(1, kind: MonitoringRunKinds.Hourly), Figures(0.7));
        await Store.RecordRunAsync(Run(1, model: "other-model"), Figures(0.1));

        var auc = await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "roc_auc", Day, Day.AddDays(10), ModelVersion: 3, Arm: ServingArms.Champion, Kind: MonitoringRunKinds.Daily));
        Assert.Equal([(day0, 0.82), (day2, 0.78)], auc.Select(p => (p.RunId, p.Value)));
        Assert.Equal((Day, Day.AddDays(1), MonitoringRunKinds.Daily), (auc[0].WindowFrom, auc[0].WindowTo, auc[0].Kind));

        var psi = await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "psi", Day, Day.AddDays(10), "country", 3, ServingArms.Champion, MonitoringRunKinds.Daily));
        Assert.Equal([(day0, 0.31), (day1, 0.5), (day2, 0.31)], psi.Select(p => (p.RunId, p.Value)));
        Assert.Equal((0.01, "critical", MonitoringRunStatuses.InsufficientData), (psi[1].PValue, psi[1].Verdict, psi[1].Status));

        // Null version and arm: the runs over every version and arm only; null kind: any kind.
        Assert.Equal([0.6], (await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "roc_auc", Day, Day.AddDays(10)))).Select(p => p.Value));
        Assert.Equal([0.5], (await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "roc_auc", Day, Day.AddDays(10), ModelVersion: 3))).Select(p => p.Value));
        Assert.Equal([0.82, 0.7, 0.78], (await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "roc_auc", Day, Day.AddDays(10), ModelVersion: 3, Arm: ServingArms.Champion))).Select(p => p.Value));
        // Window ends in [From, To): day 1's window ends at Day + 2.
        Assert.Equal([day1], (await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "psi", Day.AddDays(2), Day.AddDays(3), "country", 3, ServingArms.Champion, MonitoringRunKinds.Daily))).Select(p => p.RunId));
        Assert.Empty(await Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "psi", Day, Day.AddDays(10), "nothing", 3, ServingArms.Champion)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadSeriesAsync(new MonitoringSeriesQuery(Model, "psi", Day, Day)));
    }

    [Fact]
    public async Task Another_instance_reads_what_one_recorded_and_the_schema_is_component_monitoring()
    {
        var id = await Store.RecordRunAsync(Run(0), Figures(0.8));

        var other = Open();
        Assert.Equal(4, (await other.GetRunAsync(id))!.Figures.Count);
        var versions = await Store.Database.ReadAsync(
            (session, ct) => session.QueryAsync("SELECT component, MAX(version) FROM schema_versions GROUP BY component ORDER BY component", [], r => $"{r.GetString(0)}:{r.GetInt32(1)}", ct),
            CancellationToken.None);
        Assert.Equal(["monitoring:1"], versions);
        Assert.True((await Store.CheckWritableAsync()).IsWritable);
    }
}
