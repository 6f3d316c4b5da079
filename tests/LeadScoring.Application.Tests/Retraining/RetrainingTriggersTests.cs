using System.Globalization;
using LeadScoring.Application.Alerting;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Deployments;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// The triggers over real SQLite registry, monitoring, alert and retraining stores with a fake clock: the weekly then
/// monthly schedule counted from the version's promotion, drift from a monitoring run's overall PSI or a firing
/// retraining_request alert, the drift cooldown, and never a second run while one is unfinished.
/// </summary>
public sealed class RetrainingTriggersTests(TrainedPackages packages) : IClassFixture<TrainedPackages>, IAsyncLifetime, IAsyncDisposable
{
    private const string Model = "leads";

    // A Wednesday; the weekly schedule is Mondays 03:00 UTC.
    private static readonly DateTimeOffset Promoted = new(2030, 6, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly ApplicationHost _host = new(Promoted);

    // The server registers the triggers (beside its supervisor); built here from the same services.
    private RetrainingTriggers Triggers => ActivatorUtilities.CreateInstance<RetrainingTriggers>(_host.Services);

    private RetrainingStore Store => _host.Services.GetRequiredService<RetrainingStore>();

    private MonitoringStore Monitoring => _host.Services.GetRequiredService<MonitoringStore>();

    public async Task InitializeAsync()
    {
        await _host.Services.GetRequiredService<ModelRegistration>().RegisterAsync(new RegistrationRequest(Model, packages.Champion, "system:test"));
        await _host.Registry.TransitionAsync(Model, 1, ModelStage.Production, "system:test", null);
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string, string?> Schedules => new()
    {
        // after → next due (Production since Wednesday 2030-06-05 12:00, weekly for 90 days: until 2030-09-03 12:00).
        { "2030-06-05T12:00:00Z", "2030-06-10T03:00:00Z" },
        { "2030-06-10T02:59:59Z", "2030-06-10T03:00:00Z" },
        { "2030-06-10T03:00:00Z", "2030-06-17T03:00:00Z" },
        { "2030-08-27T00:00:00Z", "2030-09-02T03:00:00Z" },
        // The next Monday falls after the weekly period: the first monthly date after its end.
        { "2030-09-02T03:00:00Z", "2030-10-01T03:00:00Z" },
        { "2030-09-03T12:00:00Z", "2030-10-01T03:00:00Z" },
        { "2030-10-01T03:00:00Z", "2030-11-01T03:00:00Z" },
        { "2031-01-15T00:00:00Z", "2031-02-01T03:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_schedule_is_weekly_while_the_version_is_young_and_monthly_after(string after, string? due)
    {
        var next = RetrainingTriggers.NextScheduled(Promoted, Parse(after), new RetrainingTriggerSettings());

        Assert.Equal(due is null ? null : Parse(due), next);
    }

    [Fact]
    public void A_weekly_date_exactly_at_the_end_of_the_weekly_period_is_already_monthly()
    {
        // Production since Monday 03:00, weekly for 14 days: the third Monday is the first instant of the monthly period.
        var since = Parse("2030-06-03T03:00:00Z");
        var triggers = new RetrainingTriggerSettings { WeeklyFor = TimeSpan.FromDays(14) };

        Assert.Equal(Parse("2030-06-17T03:00:00Z") - TimeSpan.FromDays(7), RetrainingTriggers.NextScheduled(since, since, triggers));
        Assert.Equal(Parse("2030-07-01T03:00:00Z"), RetrainingTriggers.NextScheduled(since, Parse("2030-06-10T03:00:00Z"), triggers));
        // No weekly period at all: monthly from the promotion.
        Assert.Equal(Parse("2030-07-01T03:00:00Z"), RetrainingTriggers.NextScheduled(since, since, new RetrainingTriggerSettings { WeeklyFor = TimeSpan.Zero }));
        // An unusable cron gives no date rather than a wrong one.
        Assert.Null(RetrainingTriggers.NextScheduled(since, Parse("2030-10-01T00:00:00Z"), new RetrainingTriggerSettings { Monthly = "not a cron" }));
    }

    [Fact]
    public async Task The_schedule_starts_a_run_when_due_one_at_a_time_and_monthly_after_the_weekly_period()
    {
        var settings = Settings(drift: false, schedule: true);
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        _host.Clock.SetUtcNow(Parse("2030-06-10T02:59:59Z"));
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        _host.Clock.SetUtcNow(Parse("2030-06-10T03:00:00Z"));
        var first = await Triggers.CheckAsync(Model, settings);
        Assert.NotNull(first);
        Assert.Equal((RetrainingTrigger.Schedule, RetrainingStatus.Queued, RetrainingTriggers.Requester), (first.Trigger, first.Status, first.RequestedBy));
        Assert.Equal("weekly (0 3 * * 1) schedule, due 2030-06-10 03:00Z (Production since 2030-06-05)", first.TriggerDetail);
        // The run carries the settings of the day it was started.
        Assert.Equal(RetrainingRunOptions.From(settings).ToJson(), first.OptionsJson);

        // Unfinished: no second run, even when the next date comes.
        _host.Clock.SetUtcNow(Parse("2030-06-17T03:00:00Z"));
        Assert.Null(await Triggers.CheckAsync(Model, settings));
        await CancelAsync(first);
        var second = await Triggers.CheckAsync(Model, settings);
        Assert.Equal("weekly (0 3 * * 1) schedule, due 2030-06-17 03:00Z (Production since 2030-06-05)", second!.TriggerDetail);
        await CancelAsync(second);
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        // After the weekly period: monthly.
        _host.Clock.SetUtcNow(Parse("2030-10-01T03:00:00Z") - TimeSpan.FromDays(20));
        var catchUp = await Triggers.CheckAsync(Model, settings);
        Assert.NotNull(catchUp);
        await CancelAsync(catchUp);
        Assert.Null(await Triggers.CheckAsync(Model, settings));
        _host.Clock.SetUtcNow(Parse("2030-10-01T03:00:00Z"));
        var monthly = await Triggers.CheckAsync(Model, settings);
        Assert.Equal("monthly (0 3 1 * *) schedule, due 2030-10-01 03:00Z (Production since 2030-06-05)", monthly!.TriggerDetail);
    }

    [Fact]
    public async Task The_schedule_counts_from_the_latest_promotion()
    {
        var settings = Settings(drift: false, schedule: true);
        await _host.Services.GetRequiredService<ModelRegistration>().RegisterAsync(new RegistrationRequest(Model, packages.Challenger, "system:test"));
        // v2 becomes Production on Monday 2030-10-07 12:00: the weekly schedule starts again for it.
        _host.Clock.SetUtcNow(Parse("2030-10-07T12:00:00Z"));
        await _host.Registry.TransitionAsync(Model, 2, ModelStage.Production, "system:test", null);

        _host.Clock.SetUtcNow(Parse("2030-10-14T02:00:00Z"));
        Assert.Null(await Triggers.CheckAsync(Model, settings));
        _host.Clock.SetUtcNow(Parse("2030-10-14T03:00:00Z"));
        Assert.Equal("weekly (0 3 * * 1) schedule, due 2030-10-14 03:00Z (Production since 2030-10-07)", (await Triggers.CheckAsync(Model, settings))!.TriggerDetail);
    }

    [Fact]
    public async Task Drift_starts_a_run_when_a_daily_or_weekly_run_of_the_production_version_reports_an_overall_psi_above_the_threshold()
    {
        var settings = Settings(drift: true, schedule: false);

        // Below the threshold, a feature's PSI, an hourly run, another version, a failed run: none counts.
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.24, hoursAfterPromotion: 24);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.1, hoursAfterPromotion: 25, featurePsi: 0.9);
        await RecordMonitoringAsync(MonitoringRunKinds.Hourly, psi: 0.9, hoursAfterPromotion: 26);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: 27, version: 7);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: 28, status: MonitoringRunStatuses.Failed);
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        var weekly = await RecordMonitoringAsync(MonitoringRunKinds.Weekly, psi: 0.31, hoursAfterPromotion: 30);
        var run = await Triggers.CheckAsync(Model, settings);

        Assert.NotNull(run);
        Assert.Equal((RetrainingTrigger.Drift, RetrainingTriggers.Requester), (run.Trigger, run.RequestedBy));
        Assert.StartsWith($"monitoring run {weekly} (weekly, ", run.TriggerDetail, StringComparison.Ordinal);
        Assert.EndsWith("overall PSI 0.31 above 0.25", run.TriggerDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daily_run_above_the_threshold_counts_however_many_hourly_runs_came_after_it()
    {
        var settings = Settings(drift: true, schedule: false);
        // A manual run keeps the model busy while monitoring goes on: a daily run drifts, then three days of hourly runs.
        var manual = await _host.Services.GetRequiredService<RetrainingUseCases>().RequestAsync(new RetrainingRequest(Model, "alice"), settings);
        var daily = await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.4, hoursAfterPromotion: 24);
        for (var hour = 1; hour <= 72; hour++)
        {
            await RecordMonitoringAsync(MonitoringRunKinds.Hourly, psi: 0.05, hoursAfterPromotion: 24 + hour);
        }

        Assert.Null(await Triggers.CheckAsync(Model, settings));
        await CancelAsync(manual);

        var run = await Triggers.CheckAsync(Model, settings);

        Assert.StartsWith($"monitoring run {daily} (daily, ", run?.TriggerDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_evidence_from_before_the_promotion_does_not_count()
    {
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: -2);

        Assert.Null(await Triggers.CheckAsync(Model, Settings(drift: true, schedule: false)));
    }

    [Fact]
    public async Task Drift_waits_out_its_cooldown_for_new_evidence()
    {
        var settings = Settings(drift: true, schedule: false);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.5, hoursAfterPromotion: 24);
        var first = (await Triggers.CheckAsync(Model, settings))!;
        Assert.Equal(RetrainingTrigger.Drift, first.Trigger);
        await CancelAsync(first);

        // New evidence inside the cooldown waits for its end.
        _host.Clock.SetUtcNow(first.CreatedAt + TimeSpan.FromDays(3));
        var fresh = await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.6, hoursAfterPromotion: 24 + (3 * 24));
        Assert.Null(await Triggers.CheckAsync(Model, settings));
        _host.Clock.SetUtcNow(first.CreatedAt + settings.Triggers.DriftCooldown - TimeSpan.FromSeconds(1));
        Assert.Null(await Triggers.CheckAsync(Model, settings));
        _host.Clock.SetUtcNow(first.CreatedAt + settings.Triggers.DriftCooldown);
        var second = await Triggers.CheckAsync(Model, settings);
        Assert.StartsWith($"monitoring run {fresh} (daily, ", second!.TriggerDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_the_last_drift_run_answered_starts_no_other_after_the_cooldown()
    {
        var settings = Settings(drift: true, schedule: false);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.5, hoursAfterPromotion: 24);
        var first = (await Triggers.CheckAsync(Model, settings))!;
        await CancelAsync(first);

        _host.Clock.SetUtcNow(first.CreatedAt + settings.Triggers.DriftCooldown + TimeSpan.FromDays(1));
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        // A zero cooldown does not bring the old evidence back either.
        settings.Triggers.DriftCooldown = TimeSpan.Zero;
        Assert.Null(await Triggers.CheckAsync(Model, settings));
    }

    [Fact]
    public async Task A_firing_retraining_request_alert_starts_a_drift_run()
    {
        var settings = Settings(drift: true, schedule: false);
        _host.Clock.Advance(TimeSpan.FromHours(1));
        var alerts = _host.Services.GetRequiredService<AlertStore>();
        await alerts.ApplyAsync(new AlertFindingBatch("test:other", [Finding(AlertRuleTypes.RetrainingRequest, "other-model", "other model drifts")]));
        Assert.Null(await Triggers.CheckAsync(Model, settings));

        var applied = await alerts.ApplyAsync(new AlertFindingBatch("test:1", [Finding(AlertRuleTypes.RetrainingRequest, Model, "calibration drifted for three days")]));
        var alertId = Assert.Single(applied.Applied).AlertId;

        var run = await Triggers.CheckAsync(Model, settings);

        Assert.Equal(RetrainingTrigger.Drift, run!.Trigger);
        Assert.Equal($"alert {alertId} (retraining_request): calibration drifted for three days", run.TriggerDetail);
        // Switched off, drift starts nothing.
        await CancelAsync(run);
        _host.Clock.Advance(TimeSpan.FromDays(30));
        await alerts.ApplyAsync(new AlertFindingBatch("test:2", [Finding(AlertRuleTypes.RetrainingRequest, Model, "again", subject: "calibration-2")]));
        Assert.Null(await Triggers.CheckAsync(Model, Settings(drift: false, schedule: false)));
        Assert.NotNull(await Triggers.CheckAsync(Model, settings));
    }

    [Fact]
    public async Task No_trigger_starts_a_run_while_the_model_has_an_unfinished_one()
    {
        var settings = Settings(drift: true, schedule: true);
        var manual = await _host.Services.GetRequiredService<RetrainingUseCases>().RequestAsync(new RetrainingRequest(Model, "alice"), settings);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: 24);
        _host.Clock.SetUtcNow(Parse("2030-06-10T03:00:00Z"));

        Assert.Null(await Triggers.CheckAsync(Model, settings));
        Assert.Single((await Store.ListAsync(new RetrainingQuery(Model))).Runs);

        await CancelAsync(manual);
        Assert.Equal(RetrainingTrigger.Drift, (await Triggers.CheckAsync(Model, settings))!.Trigger);
    }

    [Fact]
    public async Task Two_checks_at_once_start_one_run()
    {
        var settings = Settings(drift: true, schedule: false);
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: 24);

        var both = await Task.WhenAll(Task.Run(() => Triggers.CheckAsync(Model, settings)), Task.Run(() => Triggers.CheckAsync(Model, settings)));

        Assert.Single(both, r => r is not null);
        var run = Assert.Single((await Store.ListAsync(new RetrainingQuery(Model))).Runs);
        Assert.Equal(both.Single(r => r is not null)!.Id, run.Id);
    }

    [Fact]
    public async Task A_model_without_a_production_version_is_not_triggered()
    {
        await RecordMonitoringAsync(MonitoringRunKinds.Daily, psi: 0.9, hoursAfterPromotion: 24, model: "other");
        _host.Clock.SetUtcNow(Parse("2030-07-10T03:00:00Z"));

        Assert.Null(await Triggers.CheckAsync("other", Settings(drift: true, schedule: true)));
    }

    private static RetrainingSettings Settings(bool drift, bool schedule)
    {
        var settings = new RetrainingSettings();
        settings.Triggers.Drift = drift;
        settings.Triggers.Schedule = schedule;
        return settings;
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private AlertFinding Finding(string rule, string model, string summary, string? subject = null) =>
        new(rule, subject ?? model, model, Breached: true, AlertLevel.Warning, _host.Clock.GetUtcNow(), summary, "{}", [], TimeSpan.FromHours(1));

    // A finished monitoring run of a day's (or week's) window ending hoursAfterPromotion after the promotion, as the monitoring runner records it.
    private async Task<long> RecordMonitoringAsync(string kind, double psi, double hoursAfterPromotion, double? featurePsi = null, int version = 1, string status = MonitoringRunStatuses.Ok, string model = Model)
    {
        var to = Promoted + TimeSpan.FromHours(hoursAfterPromotion);
        var finished = to + TimeSpan.FromMinutes(1);
        if (_host.Clock.GetUtcNow() < finished)
        {
            _host.Clock.SetUtcNow(finished);
        }

        List<MonitoringFigure> figures = [new("overall_psi", null, psi), new("psi", "country", featurePsi ?? psi)];
        if (featurePsi is not null)
        {
            figures.Add(new("overall_psi", "country", featurePsi.Value));
        }

        return await Monitoring.RecordRunAsync(
            new MonitoringRun(kind, model, version, null, to - TimeSpan.FromDays(1), to, to, finished, status, "{}"), figures);
    }

    private Task<RetrainingRun> CancelAsync(RetrainingRun run) => _host.Services.GetRequiredService<RetrainingUseCases>().CancelAsync(run.Id, "alice", null);
}
