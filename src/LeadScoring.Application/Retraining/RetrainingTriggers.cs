using System.Collections.Concurrent;
using System.Globalization;
using LeadScoring.Application.Alerting;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Decides whether a run should start on its own, and starts it: drift (a daily or weekly monitoring run of the
/// Production version with an overall PSI above the threshold, or a firing retraining_request alert, newer than the
/// last drift run and outside its cooldown), or the schedule (weekly while the Production version is young, monthly
/// after, counted from the later of its promotion and the last scheduled run). A model with an unfinished run gets
/// none: the store refuses a second one even when two replicas decide at once.
/// </summary>
public sealed class RetrainingTriggers(
    RetrainingStore store,
    IModelRegistry registry,
    MonitoringStore monitoring,
    AlertStore alerts,
    TimeProvider time)
{
    /// <summary>The requester recorded on runs the triggers start.</summary>
    public const string Requester = "trigger";

    // Monitoring runs read per check: far more than a check interval ever produces.
    private const int RunsPerCheck = 50;

    // A stored monitoring run never changes, so its overall PSI is read once, not at every check (every minute, with
    // dozens of runs since the promotion, re-reading every run's figures made each check the costliest thing the
    // replica did while no run was active). Cleared when it outgrows what the checks can list.
    private readonly ConcurrentDictionary<long, double?> _overallPsi = new();

    /// <summary>Checks <paramref name="modelName"/>'s triggers once; returns the run started, or null.</summary>
    public async Task<RetrainingRun?> CheckAsync(string modelName, RetrainingSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var production = await registry.GetProductionAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (production is null || await store.GetActiveAsync(modelName, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var productionSince = await ProductionSinceAsync(production, cancellationToken).ConfigureAwait(false);
        if (settings.Triggers.Drift && await DriftAsync(modelName, production.Version, productionSince, settings, now, cancellationToken).ConfigureAwait(false) is { } drift)
        {
            return await StartAsync(modelName, RetrainingTrigger.Drift, drift, settings, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Triggers.Schedule && await DueScheduleAsync(modelName, productionSince, settings.Triggers, now, cancellationToken).ConfigureAwait(false) is { } schedule)
        {
            return await StartAsync(modelName, RetrainingTrigger.Schedule, schedule, settings, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>When the schedule next fires for a version in Production since <paramref name="productionSince"/>, after <paramref name="after"/>.</summary>
    public static DateTimeOffset? NextScheduled(DateTimeOffset productionSince, DateTimeOffset after, RetrainingTriggerSettings triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var weekly = RetrainingTriggerSettings.TryParseCron(triggers.Weekly, out _);
        var monthly = RetrainingTriggerSettings.TryParseCron(triggers.Monthly, out _);
        var switchAt = productionSince + triggers.WeeklyFor;
        if (after < switchAt && weekly?.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc) is { } nextWeekly && nextWeekly < switchAt.UtcDateTime)
        {
            return new DateTimeOffset(nextWeekly, TimeSpan.Zero);
        }

        var from = after < switchAt ? switchAt : after;
        return monthly?.GetNextOccurrence(from.UtcDateTime, TimeZoneInfo.Utc) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }

    private async Task<string?> DriftAsync(string modelName, int version, DateTimeOffset productionSince, RetrainingSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await store.GetLatestAsync(modelName, RetrainingTrigger.Drift, cancellationToken).ConfigureAwait(false);
        if (last is not null && now - last.CreatedAt < settings.Triggers.DriftCooldown)
        {
            return null;
        }

        // Only evidence newer than the version's promotion and the last drift run counts: that run answered the rest.
        var since = last is null || last.CreatedAt < productionSince ? productionSince : last.CreatedAt;
        // Each kind read on its own: hourly runs (many more) must not push the daily and weekly ones off the page.
        foreach (var kind in (string[])[MonitoringRunKinds.Daily, MonitoringRunKinds.Weekly])
        {
            var page = await monitoring.ListRunsAsync(new MonitoringRunFilter(modelName, version, From: since, Kind: kind), pageSize: RunsPerCheck, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var stored in page.Rows.Where(r => r.Run.Status == MonitoringRunStatuses.Ok && r.Run.FinishedAt >= since))
            {
                if (!_overallPsi.TryGetValue(stored.Id, out var overall))
                {
                    var detail = await monitoring.GetRunAsync(stored.Id, cancellationToken).ConfigureAwait(false);
                    overall = detail?.Figures.FirstOrDefault(f => f.Metric == "overall_psi" && f.Feature is null)?.Value;
                    _overallPsi[stored.Id] = overall;
                }

                if (overall is { } psi && psi > settings.Triggers.DriftPsi)
                {
                    return Text($"monitoring run {stored.Id} ({stored.Run.Kind}, {stored.Run.WindowFrom:yyyy-MM-dd HH:mm} to {stored.Run.WindowTo:yyyy-MM-dd HH:mm}Z): overall PSI {psi:0.###} above {settings.Triggers.DriftPsi:0.###}");
                }
            }
        }

        if (_overallPsi.Count > 10 * RunsPerCheck)
        {
            _overallPsi.Clear();
        }

        var firing = await alerts.ListAlertsAsync(new AlertFilter(AlertState.Firing, Rule: AlertRuleTypes.RetrainingRequest, Model: modelName), pageSize: 10, cancellationToken: cancellationToken).ConfigureAwait(false);
        return firing.Alerts.FirstOrDefault(a => a.OpenedAt >= since) is { } alert
            ? Text($"alert {alert.Id} ({alert.Rule}): {alert.Summary}")
            : null;
    }

    private async Task<string?> DueScheduleAsync(string modelName, DateTimeOffset productionSince, RetrainingTriggerSettings triggers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await store.GetLatestAsync(modelName, RetrainingTrigger.Schedule, cancellationToken).ConfigureAwait(false);
        var after = last is null || last.CreatedAt < productionSince ? productionSince : last.CreatedAt;
        if (NextScheduled(productionSince, after, triggers) is not { } due || due > now)
        {
            return null;
        }

        var which = due < productionSince + triggers.WeeklyFor ? $"weekly ({triggers.Weekly})" : $"monthly ({triggers.Monthly})";
        return Text($"{which} schedule, due {due:yyyy-MM-dd HH:mm}Z (Production since {productionSince:yyyy-MM-dd})");
    }

    // When the version last became Production (the registry's audit log), or its registration when the log is silent.
    private async Task<DateTimeOffset> ProductionSinceAsync(ModelVersion production, CancellationToken cancellationToken)
    {
        var log = await registry.GetAuditLogAsync(production.ModelName, 200, cancellationToken).ConfigureAwait(false);
        return log.Where(e => e.Version == production.Version && e.Action == "stage" && e.To == nameof(ModelStage.Production)).Select(e => (DateTimeOffset?)e.At).Max()
            ?? production.CreatedAt;
    }

    private async Task<RetrainingRun?> StartAsync(string modelName, RetrainingTrigger trigger, string detail, RetrainingSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await store.CreateAsync(new NewRetrainingRun(modelName, trigger, detail, Requester, null, RetrainingRunOptions.From(settings).ToJson()), cancellationToken).ConfigureAwait(false);
        }
        catch (RetrainingConflictException)
        {
            // Another replica (or a person) started one between the check and now: one run is what was wanted.
            return null;
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
