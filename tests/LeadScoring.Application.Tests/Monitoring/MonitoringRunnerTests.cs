using System.Globalization;
using System.Text.Json;
using LeadScoring.Application.Monitoring;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LeadScoring.Application.Tests.Monitoring;

/// <summary>
/// Monitoring runs over real SQLite stores, fed by simulated traffic scored by real models and logged through the
/// real prediction log and outcome store, with a fake clock: each simulator scenario shows where it should, labels
/// are partial until they mature and then reconciled, runs are per version and arm, and a failing scope fails alone.
/// </summary>
public sealed class MonitoringRunnerTests(MonitoringPackages packages, ITestOutputHelper output) : IClassFixture<MonitoringPackages>, IAsyncLifetime, IAsyncDisposable
{
    private const string Model = "leads";
    private static readonly DateTimeOffset Day = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ApplicationHost _host = new(Day);
    private readonly Dictionary<byte[], LeadScorer> _scorers = [];

    private MonitoringRunner Runner => _host.Services.GetRequiredService<MonitoringRunner>();

    private MonitoringStore Store => _host.Services.GetRequiredService<MonitoringStore>();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public void The_runner_is_the_scheduled_monitoring_the_hosts_resolve()
    {
        Assert.Same(Runner, _host.Services.GetRequiredService<IScheduledMonitoring>());
        Assert.Equal(TimeSpan.FromDays(7), MonitoringRunner.PeriodOf(MonitoringRunKinds.Weekly));
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => MonitoringRunner.PeriodOf(MonitoringRunKinds.Manual)).ParamName);
    }

    [Fact]
    public async Task A_source_shift_hour_flags_lead_source_and_nothing_else_while_a_baseline_hour_flags_nothing()
    {
        await RegisterAsync(packages.Champion, production: true);
        var traffic = Traffic();
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.SourceShift, 2000, seed: 101, Day, Hour);
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 2000, seed: 102, Day + Hour, Hour);
        _host.Clock.SetUtcNow(Day + (2 * Hour) + TimeSpan.FromMinutes(3));

        var shifted = Assert.Single(await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour));
        var baseline = Assert.Single(await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + (2 * Hour)));

        Assert.Equal(new MonitoringRun(MonitoringRunKinds.Hourly, Model, 1, ServingArms.Champion, Day, Day + Hour, shifted.Run.Run.StartedAt, shifted.Run.Run.FinishedAt, MonitoringRunStatuses.Ok, shifted.Run.Run.SummaryJson), shifted.Run.Run);
        Assert.Equal(["lead_source"], Drifted(shifted));
        Assert.NotEqual("ok", Figure(shifted, "psi", "lead_source").Verdict);
        Assert.True(Figure(shifted, "adjusted_p_value", "lead_source").Value < 0.001);
        Assert.Equal(2000, Figure(shifted, "leads").Value);
        Assert.Empty(Drifted(baseline));
        Assert.Equal("ok", Figure(baseline, "psi", "lead_source").Verdict);
        Assert.Equal(0, Figure(baseline, "dataset_drift").Value);

        // Stored as returned, with the report document and the run's context in the summary.
        var stored = await Store.GetRunAsync(shifted.Run.Id);
        Assert.Equal(shifted.Run, stored!.Run);
        Assert.Equal(shifted.Figures.Count, stored.Figures.Count);
        using var summary = JsonDocument.Parse(stored.Run.Run.SummaryJson);
        Assert.Equal(JsonValueKind.Object, summary.RootElement.GetProperty("report").ValueKind);
        Assert.False(summary.RootElement.GetProperty("labels_mature").GetBoolean());
        Assert.Equal("partial", summary.RootElement.GetProperty("realised_figures").GetString());
        Assert.Contains(Notes(summary), n => n.Contains("no outcomes have been received", StringComparison.Ordinal));
        Assert.Contains(Notes(summary), n => n.StartsWith("drifted features, most consequential first: lead_source", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_pipeline_fails_the_quality_check_in_the_first_hourly_run()
    {
        await RegisterAsync(packages.Champion, production: true);
        await Traffic().ScoreAsync(Scorer(packages.Champion), 1, Scenario.BrokenPipeline, 1000, seed: 103, Day, Hour);
        _host.Clock.SetUtcNow(Day + Hour);

        var run = Assert.Single(await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour));

        Assert.Equal(MonitoringRunStatuses.Ok, run.Run.Run.Status);
        var failed = run.Figures.Where(f => f.Metric == "quality" && f.Verdict == "failed").Select(f => f.Feature!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["pages_per_visit", "time_on_site_sec"], failed);
        Assert.Equal(1, Figure(run, "missing_rate", "pages_per_visit").Value);
        Assert.Equal(1, Figure(run, "zero_rate", "time_on_site_sec").Value);
        Assert.Equal("ok", Figure(run, "quality", "lead_source").Verdict);
        Assert.Equal(new MonitoringFigure("quality_failed_features", null, 2, null, "failed"), Figure(run, "quality_failed_features"));
        using var summary = JsonDocument.Parse(run.Run.Run.SummaryJson);
        Assert.Contains(Notes(summary), n => n.StartsWith("data quality failed for time_on_site_sec, pages_per_visit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Until_labels_mature_realised_figures_are_partial_and_the_estimate_stands_beside_them()
    {
        await RegisterAsync(packages.Champion, production: true);
        var traffic = Traffic();
        var first = await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 2000, seed: 104, Day, TimeSpan.FromDays(1));
        var second = await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 2000, seed: 105, Day.AddDays(1), TimeSpan.FromDays(1));
        _host.Clock.SetUtcNow(Day.AddDays(2));
        // Day one's outcomes all happened 12 h after it ended (delays 12–36 h); half of day two's so far (12–24 h).
        await traffic.RecordOutcomesAsync(first, Day.AddDays(1.5));
        await traffic.RecordOutcomesAsync(Half(second), Day.AddDays(2).AddMinutes(-1));
        _host.Clock.Advance(TimeSpan.FromMinutes(5));

        var run = Assert.Single(await Runner.RunScheduledAsync(MonitoringRunKinds.Daily, Day.AddDays(2)));

        Assert.Equal(0, Figure(run, "labels_mature").Value);
        Assert.Equal(1000, Figure(run, "labelled").Value);
        Assert.InRange(Figure(run, "label_delay_p90_hours").Value, 24, 36);
        Assert.InRange(Figure(run, "partial_roc_auc").Value, 0.6, 1);
        Assert.InRange(Figure(run, "estimated_roc_auc").Value, 0.6, 1);
        Assert.DoesNotContain(run.Figures, f => f.Metric is "roc_auc" or "auc_gap" or "precision_at_capacity");
        Assert.Contains(run.Figures, f => f.Metric == "partial_conversion_rate");
        using var summary = JsonDocument.Parse(run.Run.Run.SummaryJson);
        Assert.Equal("partial", summary.RootElement.GetProperty("realised_figures").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("reconciliation").ValueKind);
        var matureAt = (Day.AddDays(2) + TimeSpan.FromHours(Figure(run, "label_delay_p90_hours").Value)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        Assert.Contains(Notes(summary), n => n.StartsWith("labels are immature until " + matureAt, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_labels_mature_the_daily_run_reconciles_the_window_and_concept_drift_opens_the_gap_that_data_drift_misses()
    {
        const string Stable = "stable", Drifting = "drifting";
        await RegisterAsync(packages.Champion, production: true, model: Stable);
        await RegisterAsync(packages.Champion, production: true, model: Drifting);
        var stable = Traffic(Stable);
        var drifting = Traffic(Drifting);
        var stableLeads = await stable.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 3000, seed: 106, Day, TimeSpan.FromDays(1), idPrefix: "s-");
        var driftingLeads = await drifting.ScoreAsync(Scorer(packages.Champion), 1, Scenario.ConceptDrift, 3000, seed: 107, Day, TimeSpan.FromDays(1), idPrefix: "d-");
        _host.Clock.SetUtcNow(Day.AddDays(1).AddMinutes(1));
        var firstRuns = await Runner.RunScheduledAsync(MonitoringRunKinds.Daily, Day.AddDays(1));

        // Outcomes happen 6 h after the day ended (P90 delay 27.6 h): the window matures on day three.
        _host.Clock.SetUtcNow(Day.AddDays(2).AddMinutes(1));
        await stable.RecordOutcomesAsync(stableLeads, Day.AddDays(1.25), "s-");
        await drifting.RecordOutcomesAsync(driftingLeads, Day.AddDays(1.25), "d-");
        var secondRuns = await Runner.RunScheduledAsync(MonitoringRunKinds.Daily, Day.AddDays(2));
        _host.Clock.SetUtcNow(Day.AddDays(3).AddMinutes(1));
        var thirdRuns = await Runner.RunScheduledAsync(MonitoringRunKinds.Daily, Day.AddDays(3));
        _host.Clock.SetUtcNow(Day.AddDays(4).AddMinutes(1));
        var fourthRuns = await Runner.RunScheduledAsync(MonitoringRunKinds.Daily, Day.AddDays(4));

        Assert.Equal(2, firstRuns.Count);
        Assert.All(firstRuns, r => Assert.Equal(0, Figure(r, "labels_mature").Value));
        Assert.All(firstRuns, r => Assert.DoesNotContain(r.Figures, f => f.Metric.Contains("roc_auc", StringComparison.Ordinal) && f.Metric is not ("estimated_roc_auc" or "reference_roc_auc")));
        // Day two: no leads, and day one not mature yet; day three: no leads, and day one reconciled; day four: nothing more to reconcile.
        Assert.Equal(2, secondRuns.Count);
        Assert.All(secondRuns, r => Assert.Equal(MonitoringRunStatuses.InsufficientData, r.Run.Run.Status));
        Assert.Equal(4, thirdRuns.Count);
        Assert.Equal(2, fourthRuns.Count);
        var reconciled = thirdRuns.Where(r => r.Run.Run.WindowTo == Day.AddDays(1)).ToDictionary(r => r.Run.Run.ModelName);
        foreach (var (model, run) in reconciled)
        {
            var original = firstRuns.Single(r => r.Run.Run.ModelName == model);
            Assert.Equal(MonitoringRunKinds.Daily, run.Run.Run.Kind);
            Assert.Equal(original.Run.Run.WindowFrom, run.Run.Run.WindowFrom);
            Assert.Equal(1, Figure(run, "labels_mature").Value);
            Assert.Equal(3000, Figure(run, "labelled").Value);
            Assert.Equal(Figure(original, "estimated_roc_auc").Value, Figure(run, "estimated_roc_auc").Value, 12);
            Assert.Equal(Figure(run, "estimated_roc_auc").Value - Figure(run, "roc_auc").Value, Figure(run, "auc_gap").Value, 12);
            using var summary = JsonDocument.Parse(run.Run.Run.SummaryJson);
            Assert.Equal(original.Run.Id, summary.RootElement.GetProperty("reconciliation").GetProperty("reconciles_run_id").GetInt64());
            Assert.Equal("final", summary.RootElement.GetProperty("realised_figures").GetString());
            output.WriteLine($"{model}: auc gap {Figure(run, "auc_gap").Value:F4}, positive rate gap {Figure(run, "positive_rate_gap").Value:F4}, roc auc {Figure(run, "roc_auc").Value:F4}, drifted {Figure(run, "drifted_features").Value}");
        }

        var quiet = reconciled[Stable];
        var drifted = reconciled[Drifting];
        Assert.InRange(Figure(quiet, "auc_gap").Value, -0.04, 0.04);
        Assert.InRange(Figure(quiet, "positive_rate_gap").Value, -0.03, 0.03);
        Assert.True(Figure(drifted, "auc_gap").Value > Figure(quiet, "auc_gap").Value + 0.05, "concept drift lowers the realised AUC below the estimate");
        Assert.True(Math.Abs(Figure(drifted, "positive_rate_gap").Value) > Math.Abs(Figure(quiet, "positive_rate_gap").Value) + 0.03, "concept drift moves the realised conversion rate away from the expected one");
        Assert.Equal(0, Figure(drifted, "dataset_drift").Value);
        Assert.Empty(Drifted(drifted));
        Assert.DoesNotContain(fourthRuns, r => r.Run.Run.WindowTo == Day.AddDays(1));
    }

    [Fact]
    public async Task Each_version_and_arm_with_leads_in_the_window_gets_its_own_run()
    {
        await RegisterAsync(packages.Champion, production: true);
        await RegisterAsync(packages.Challenger, production: false);
        var traffic = Traffic();
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 600, seed: 108, Day, Hour);
        await traffic.ScoreAsync(Scorer(packages.Challenger), 2, Scenario.Baseline, 400, seed: 109, Day, Hour, ServingArms.Challenger, idPrefix: "c-");
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 300, seed: 110, Day, Hour, ServingArms.Shadow, idPrefix: "s-");
        _host.Clock.SetUtcNow(Day + Hour);

        var runs = await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour);

        Assert.Equal(
            [(1, ServingArms.Champion, 600.0), (1, ServingArms.Shadow, 300.0), (2, ServingArms.Challenger, 400.0)],
            runs.Select(r => (r.Run.Run.ModelVersion!.Value, r.Run.Run.Arm!, Figure(r, "leads").Value)));
        Assert.All(runs, r => Assert.Equal(MonitoringRunStatuses.Ok, r.Run.Run.Status));
        Assert.All(runs, r => Assert.Equal(Figure(r, "leads").Value, Figure(r, "requests").Value));
        Assert.All(runs, r => Assert.InRange(Figure(r, "latency_p95_ms").Value, 0.2, 0.6));
        var page = await Store.ListRunsAsync(new MonitoringRunFilter(Model, Arm: ServingArms.Challenger));
        Assert.Equal(runs[2].Run, Assert.Single(page.Rows));
    }

    [Fact]
    public async Task Error_rates_come_from_the_deployment_arms_counters_and_without_a_deployment_the_summary_says_so()
    {
        await RegisterAsync(packages.Champion, production: true);
        await RegisterAsync(packages.Challenger, production: false);
        var deployments = _host.Services.GetRequiredService<DeploymentStore>();
        var deployment = await deployments.StartAsync(new NewDeployment(Model, 1, 2, DeploymentMode.AB, 0.4, null, false, "5eed5eed5eed5eed5eed5eed5eed5eed"), "alice", null);
        var traffic = Traffic();
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 600, seed: 115, Day, Hour);
        await traffic.ScoreAsync(Scorer(packages.Challenger), 2, Scenario.Baseline, 400, seed: 116, Day, Hour, ServingArms.Challenger, idPrefix: "c-");
        await deployments.RecordArmMinutesAsync("replica-a",
        [
            new ArmMinute(deployment.Id, ServingArms.Champion, Day.AddMinutes(10), 600, 6, []),
            new ArmMinute(deployment.Id, ServingArms.Challenger, Day.AddMinutes(10), 440, 40, []),
            // Outside the window: not counted.
            new ArmMinute(deployment.Id, ServingArms.Challenger, Day + Hour, 100, 100, []),
        ]);
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 300, seed: 117, Day.AddDays(1), Hour, idPrefix: "later-");
        _host.Clock.SetUtcNow(Day.AddDays(1) + Hour);

        var split = await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour);
        var alone = Assert.Single(await Runner.RunAsync(new MonitoringRunRequest(Model, Day.AddDays(1), Day.AddDays(1) + Hour)));

        Assert.Equal([0.01, 40.0 / 440], split.Select(r => Figure(r, "error_rate").Value));
        Assert.Equal([6.0, 40], split.Select(r => Figure(r, "errors").Value));
        Assert.DoesNotContain(alone.Figures, f => f.Metric is "error_rate" or "errors");
        Assert.Equal(300, Figure(alone, "requests").Value);
        using var summary = JsonDocument.Parse(alone.Run.Run.SummaryJson);
        Assert.StartsWith("errors not counted: no deployment counted", summary.RootElement.GetProperty("operations").GetProperty("error_source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_settings_decide_the_minimum_sample_size()
    {
        await RegisterAsync(packages.Champion, production: true);
        await Traffic().ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 300, seed: 118, Day, Hour);
        _host.Clock.SetUtcNow(Day + Hour);
        var strict = new MonitoringRunner(
            _host.Registry, Store, _host.Services.GetRequiredService<FeedbackReader>(), _host.Clock, new MonitoringRunSettings { MinimumSampleSize = 301 });

        var lenient = Assert.Single(await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour));
        var refused = Assert.Single(await strict.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour));

        Assert.Equal(MonitoringRunStatuses.Ok, lenient.Run.Run.Status);
        Assert.Equal(MonitoringRunStatuses.InsufficientData, refused.Run.Run.Status);
        Assert.All(refused.Figures.Where(f => f.Metric == "drifted"), f => Assert.Equal("insufficient_data", f.Verdict));
        Assert.Empty(new MonitoringRunSettings().Validate());
        Assert.Equal(["LeadScoring:Monitoring:CalibrationBins must be at least 1 (got 0)"], new MonitoringRunSettings { CalibrationBins = 0 }.Validate());
    }

    [Fact]
    public async Task A_scope_that_fails_is_stored_as_failed_and_the_others_still_run()
    {
        await RegisterAsync(packages.Champion, production: true);
        var traffic = Traffic();
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 500, seed: 111, Day, Hour);
        // Rows of a version this registry never had (logged by another registry sharing the log, say).
        await traffic.ScoreAsync(Scorer(packages.Champion), 7, Scenario.Baseline, 200, seed: 112, Day, Hour, idPrefix: "x-");
        _host.Clock.SetUtcNow(Day + Hour);

        var runs = await Runner.RunScheduledAsync(MonitoringRunKinds.Hourly, Day + Hour);

        Assert.Equal([(1, MonitoringRunStatuses.Ok), (7, MonitoringRunStatuses.Failed)], runs.Select(r => (r.Run.Run.ModelVersion!.Value, r.Run.Run.Status)));
        Assert.Empty(runs[1].Figures);
        using var summary = JsonDocument.Parse(runs[1].Run.Run.SummaryJson);
        Assert.Contains("leads v7 is not in the registry", summary.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await Store.ListRunsAsync(new MonitoringRunFilter(Model))).Rows.Count);
    }

    [Fact]
    public async Task A_manual_run_covers_the_asked_window_and_scope_and_refuses_bad_requests_naming_the_field()
    {
        await RegisterAsync(packages.Champion, production: true);
        await RegisterAsync(packages.Challenger, production: false);
        var traffic = Traffic();
        await traffic.ScoreAsync(Scorer(packages.Champion), 1, Scenario.Baseline, 300, seed: 113, Day, Hour);
        await traffic.ScoreAsync(Scorer(packages.Challenger), 2, Scenario.Baseline, 300, seed: 114, Day, Hour, ServingArms.Challenger, idPrefix: "c-");
        _host.Clock.SetUtcNow(Day.AddDays(1));

        var challenger = Assert.Single(await Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day.AddDays(1), ModelVersion: 2)));
        var empty = Assert.Single(await Runner.RunAsync(new MonitoringRunRequest(Model, Day.AddDays(-1), Day, Arm: ServingArms.Shadow)));

        Assert.Equal((MonitoringRunKinds.Manual, 2, ServingArms.Challenger, MonitoringRunStatuses.Ok), (challenger.Run.Run.Kind, challenger.Run.Run.ModelVersion, challenger.Run.Run.Arm, challenger.Run.Run.Status));
        Assert.Equal((MonitoringRunStatuses.InsufficientData, null, ServingArms.Shadow, 0.0), (empty.Run.Run.Status, empty.Run.Run.ModelVersion, empty.Run.Run.Arm, Figure(empty, "leads").Value));
        await Assert.ThrowsAsync<MonitoringModelNotFoundException>(() => Runner.RunAsync(new MonitoringRunRequest("nobody", Day, Day.AddDays(1))));
        await Assert.ThrowsAsync<MonitoringModelNotFoundException>(() => Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day.AddDays(1), ModelVersion: 3)));
        Assert.Equal("to", (await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day)))).ParamName);
        Assert.Equal("to", (await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day.AddDays(400))))).ParamName);
        Assert.Equal("arm", (await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day.AddDays(1), Arm: "canary")))).ParamName);
        Assert.Equal("version", (await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new MonitoringRunRequest(Model, Day, Day.AddDays(1), ModelVersion: 0)))).ParamName);
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new MonitoringRunRequest(" ", Day, Day.AddDays(1))))).ParamName);
        Assert.Equal(2, (await Store.ListRunsAsync(new MonitoringRunFilter(Model))).Rows.Count);
    }

    private static LeadScoring.Core.Data.LeadTable Half(LeadScoring.Core.Data.LeadTable table)
    {
        var rows = Enumerable.Range(0, table.Count / 2).ToArray();
        var half = table.Select(rows);
        return half;
    }

    private static MonitoringFigure Figure(MonitoringRunDetail run, string metric, string? feature = null) =>
        run.Figures.SingleOrDefault(f => f.Metric == metric && f.Feature == feature)
        ?? throw new Xunit.Sdk.XunitException($"run {run.Run.Id} has no figure {metric} of {feature ?? "(model)"}: {string.Join(", ", run.Figures.Select(f => f.Metric).Distinct())}");

    private static string[] Drifted(MonitoringRunDetail run) =>
        [.. run.Figures.Where(f => f.Metric == "drifted" && f.Value == 1).Select(f => f.Feature!)];

    private static List<string> Notes(JsonDocument summary) =>
        [.. summary.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)];

    private MonitoringTraffic Traffic(string model = Model) => new(
        _host.Services.GetRequiredService<PredictionLog>(), _host.Services.GetRequiredService<OutcomeStore>(), model);

    private async Task RegisterAsync(byte[] archive, bool production, string model = Model)
    {
        var registered = await _host.Services.GetRequiredService<ModelRegistration>().RegisterAsync(new RegistrationRequest(model, archive, "system:test"));
        if (production)
        {
            await _host.Registry.TransitionAsync(model, registered.Version, ModelStage.Production, "system:test", null);
        }
    }

    private LeadScorer Scorer(byte[] archive)
    {
        if (!_scorers.TryGetValue(archive, out var scorer))
        {
            _scorers[archive] = scorer = ModelPackage.Load(archive).Scorer;
        }

        return scorer;
    }
}
