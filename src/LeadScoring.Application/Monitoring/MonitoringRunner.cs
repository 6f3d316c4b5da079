using System.Globalization;
using LeadScoring.Core.Monitoring;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// The monitoring runs: for a model and a window, one run per (version, arm) that scored leads in it, each analysed
/// by <see cref="WindowMonitor"/> against its version's reference profile and stored with its figures
/// (<see cref="MonitoringFigures"/>) and summary (<see cref="MonitoringRunSummary"/>). Scheduled checks
/// (<see cref="IScheduledMonitoring"/>) cover every model with a Production version over the period that closed at
/// the firing; the daily one also re-evaluates the latest daily window whose labels matured since its first run,
/// recording the estimate's gap to the realised figures. A scope that fails is stored as failed and the others go on.
/// </summary>
/// <remarks>
/// Labels mature once the window ended at least the P90 conversion delay ago (<see cref="FeedbackReader.GetMatchSummaryAsync"/>);
/// until then realised figures are stored as "partial_…". <paramref name="deployments"/> (optional) supplies error
/// counts from the deployment arms' minute counters; without it, or without a deployment in the window, a run has
/// logged requests and latency but no error rate. <paramref name="observer"/> (optional) hears of every stored run.
/// </remarks>
public sealed class MonitoringRunner(
    IModelRegistry registry, MonitoringStore store, FeedbackReader feedback, TimeProvider time,
    MonitoringRunSettings? settings = null,
    DeploymentStore? deployments = null,
    IMonitoringRunObserver? observer = null)
    : IScheduledMonitoring
{
    /// <summary>Daily runs looked back through for a window to reconcile (newest first).</summary>
    public const int ReconcileLookback = 500;

    /// <summary>How far before the latest window that could have matured (now − P90) reconciliation still looks.</summary>
    public static readonly TimeSpan ReconcileWindowSlack = TimeSpan.FromDays(14);

    private readonly MonitoringOptions _options = (settings ?? new MonitoringRunSettings()).ToMonitoringOptions();
    private readonly double _matureLabelledShare = (settings ?? new MonitoringRunSettings()).MatureLabelledShare;
    private readonly string? _reportDirectory = (settings ?? new MonitoringRunSettings()).ReportDirectory;
    private readonly MonitoringReferences _references = new(registry);

    /// <summary>The window a scheduled kind covers: an hour, a day or a week.</summary>
    public static TimeSpan PeriodOf(string kind) => kind switch
    {
        MonitoringRunKinds.Hourly => TimeSpan.FromHours(1),
        MonitoringRunKinds.Daily => TimeSpan.FromDays(1),
        MonitoringRunKinds.Weekly => TimeSpan.FromDays(7),
        _ => throw new ArgumentException($"kind must be hourly, daily or weekly (got '{kind}')", nameof(kind)),
    };

    /// <inheritdoc/>
    public Task RunAsync(string kind, DateTimeOffset scheduledAt, CancellationToken cancellationToken) => RunScheduledAsync(kind, scheduledAt, cancellationToken);

    /// <summary>
    /// The scheduled check of <paramref name="kind"/> over [<paramref name="scheduledAt"/> − period, <paramref name="scheduledAt"/>)
    /// for every model with a Production version (and, daily, the reconciliation); returns the runs stored.
    /// </summary>
    public async Task<IReadOnlyList<MonitoringRunDetail>> RunScheduledAsync(string kind, DateTimeOffset scheduledAt, CancellationToken cancellationToken = default)
    {
        var period = PeriodOf(kind);
        var labels = await LabelsAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<MonitoringRunDetail>();
        foreach (var model in await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (model.ProductionVersion is null)
            {
                continue;
            }

            runs.AddRange(await RunWindowAsync(kind, model.Name, scheduledAt - period, scheduledAt, null, null, labels, cancellationToken).ConfigureAwait(false));
            if (kind == MonitoringRunKinds.Daily)
            {
                runs.AddRange(await ReconcileAsync(model.Name, labels, cancellationToken).ConfigureAwait(false));
            }
        }

        return runs;
    }

    /// <summary>
    /// Runs now over the request's window (kind manual) and returns the runs stored: one per (version, arm) that scored
    /// leads, or one insufficient-data run over the requested scope when none did. A bad field is an
    /// <see cref="ArgumentException"/> whose ParamName is the field (model, from, to, version, arm); a model (or
    /// version) the registry does not know is a <see cref="MonitoringModelNotFoundException"/>.
    /// </summary>
    public async Task<IReadOnlyList<MonitoringRunDetail>> RunAsync(MonitoringRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(!string.IsNullOrWhiteSpace(request.ModelName), "model", "is required");
        Require(request.To > request.From, "to", "must be after from");
        Require(request.To - request.From <= MonitoringRunRequest.LongestWindow, "to", $"must be at most {MonitoringRunRequest.LongestWindow.TotalDays:0} days after from");
        Require(request.ModelVersion is null or >= 1, "version", "must be at least 1");
        Require(request.Arm is null || ServingArms.All.Contains(request.Arm), "arm", $"must be one of {string.Join(", ", ServingArms.All.Order(StringComparer.Ordinal))}");
        IReadOnlyList<ModelVersionSummary> versions;
        try
        {
            versions = await registry.ListVersionSummariesAsync(request.ModelName, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.Invalid)
        {
            throw Invalid("model", e.Message, e);
        }

        if (versions.Count == 0)
        {
            throw new MonitoringModelNotFoundException($"no model named '{request.ModelName}'");
        }

        if (request.ModelVersion is int version && versions.All(v => v.Version != version))
        {
            throw new MonitoringModelNotFoundException(Text($"model '{request.ModelName}' has no version {version}"));
        }

        var labels = await LabelsAsync(cancellationToken).ConfigureAwait(false);
        return await RunWindowAsync(MonitoringRunKinds.Manual, request.ModelName, request.From, request.To, request.ModelVersion, request.Arm, labels, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<MonitoringRunDetail>> RunWindowAsync(
        string kind, string model, DateTimeOffset from, DateTimeOffset to, int? version, string? arm, LabelState labels, CancellationToken cancellationToken)
    {
        var scopes = (await store.Scopes.ListAsync(model, from, to, cancellationToken).ConfigureAwait(false))
            .Where(s => (version is null || s.ModelVersion == version) && (arm is null || s.Arm == arm))
            .ToList();
        var runs = new List<MonitoringRunDetail>();
        if (scopes.Count == 0)
        {
            runs.Add(await RecordNoLeadsAsync(kind, model, from, to, version, arm, labels, cancellationToken).ConfigureAwait(false));
            return runs;
        }

        foreach (var scope in scopes)
        {
            runs.Add(await RunScopeAsync(kind, model, scope.ModelVersion, scope.Arm, from, to, labels, null, cancellationToken).ConfigureAwait(false));
        }

        return runs;
    }

    // The latest daily window (of any scope) that matured since its first run and was never run mature: run again.
    private async Task<List<MonitoringRunDetail>> ReconcileAsync(string model, LabelState labels, CancellationToken cancellationToken)
    {
        var runs = new List<MonitoringRunDetail>();
        if (labels.DelayP90 is not { } delay)
        {
            return runs;
        }

        // The latest window to mature ended about P90 + a day ago: two weeks before that is room for missed days.
        var since = labels.Now - delay - ReconcileWindowSlack;
        var filter = new MonitoringRunFilter(model, Kind: MonitoringRunKinds.Daily, From: since);
        var page = await store.ListRunsAsync(filter, pageSize: ReconcileLookback, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pending = page.Rows
            .Where(r => r.Run is { ModelVersion: not null, Arm: not null } && r.Run.Status != MonitoringRunStatuses.Failed)
            .GroupBy(r => (r.Run.ModelVersion!.Value, r.Run.Arm!, r.Run.WindowFrom, r.Run.WindowTo))
            .Where(g => labels.IsMature(g.Key.WindowTo) && !g.Any(r => MonitoringRunSummary.ReadLabelsMature(r.Run.SummaryJson)))
            .ToList();
        if (pending.Count == 0)
        {
            return runs;
        }

        var latest = pending.Max(g => g.Key.WindowTo);
        foreach (var window in pending.Where(g => g.Key.WindowTo == latest).OrderBy(g => g.Key.Value).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            var (version, arm, from, to) = window.Key;
            var first = window.MinBy(r => r.Id)!;
            runs.Add(await RunScopeAsync(MonitoringRunKinds.Daily, model, version, arm, from, to, labels, first.Id, cancellationToken).ConfigureAwait(false));
        }

        return runs;
    }

    private async Task<MonitoringRunDetail> RunScopeAsync(
        string kind, string model, int version, string arm, DateTimeOffset from, DateTimeOffset to, LabelState labels, long? reconciles, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var mature = labels.IsMature(to);
        MonitoringRunSummary summary;
        List<MonitoringFigure> figures;
        string status;
        string? reportPath = null;
        try
        {
            var reference = await _references.GetAsync(model, version, cancellationToken).ConfigureAwait(false);
            var window = await reference.ReadWindowAsync(store, model, from, to, labels.Now, version, arm, cancellationToken).ConfigureAwait(false);
            var report = WindowMonitor.Analyze(reference.Profile, window, _options);
            // Past the delay, yet most outcomes still out: the delay was measured before the slow outcomes came in.
            mature = mature && report.Count > 0 && report.Labelled >= _matureLabelledShare * report.Count;
            var operations = await OperationsAsync(model, version, arm, from, to, labels.Now, cancellationToken).ConfigureAwait(false);
            figures = MonitoringFigures.Of(report, mature);
            figures.AddRange(MonitoringFigures.Of(operations, to - from));
            figures.AddRange(MonitoringFigures.Reference(reference.TrainingRocAuc, reference.Profile.PositiveRate));
            if (labels.DelayP90 is { } delay)
            {
                figures.Add(new MonitoringFigure("label_delay_p90_hours", null, delay.TotalHours));
            }

            MonitoringReconciliation? reconciliation = null;
            if (mature && report.Performance is { Realised: { } realised, Estimated: { } estimated })
            {
                figures.AddRange(MonitoringFigures.Gap(report));
                var realisedRate = (double)realised.Conversions / realised.Labelled;
                reconciliation = new MonitoringReconciliation(
                    reconciles, estimated.RocAuc, realised.RocAuc, estimated.RocAuc - realised.RocAuc, estimated.PositiveRate, realisedRate, estimated.PositiveRate - realisedRate);
            }

            status = report.Count == 0 || report.InsufficientData ? MonitoringRunStatuses.InsufficientData : MonitoringRunStatuses.Ok;
            if (kind == MonitoringRunKinds.Weekly && _reportDirectory is not null)
            {
                reportPath = await WriteReportAsync(model, version, arm, from, to, report, reference, cancellationToken).ConfigureAwait(false);
            }

            summary = new MonitoringRunSummary(
                mature, labels.DelayP90?.TotalHours, labels.Received, mature ? "final" : "partial", Notes(report, labels, to, mature, reconciles),
                reconciliation, operations, WindowReportDocument.From(report), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            status = MonitoringRunStatuses.Failed;
            figures = [];
            summary = new MonitoringRunSummary(mature, labels.DelayP90?.TotalHours, labels.Received, mature ? "final" : "partial", [Text($"the run failed: {e.Message}")], null, null, null, e.Message);
        }

        var run = new MonitoringRun(kind, model, version, arm, from, to, started, time.GetUtcNow(), status, summary.ToJson(), reportPath);
        return await RecordAsync(run, figures, cancellationToken).ConfigureAwait(false);
    }

    // The weekly check's HTML drift report (the one `leadscore drift` writes), into the report directory under a name
    // of its own; written beside and moved into place, so a reader never finds half a file. Returns the file name.
    private async Task<string> WriteReportAsync(
        string model, int version, string arm, DateTimeOffset from, DateTimeOffset to, WindowReport report, MonitoringReference reference, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_reportDirectory!);
        var name = Text($"weekly-{model}-v{version}-{arm}-{to.UtcDateTime:yyyyMMdd'T'HHmm}.html");
        var subject = Text($"{arm} leads scored {from.UtcDateTime:yyyy-MM-dd HH:mm} to {to.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        var html = Reports.DriftReportHtml.Render(new Reports.DriftReportInput(Reports.DriftReportHeader.Create(model, version, subject, time), report, reference.Profile));
        var path = Path.Combine(_reportDirectory!, name);
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, html, cancellationToken).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
        return name;
    }

    private async Task<MonitoringRunDetail> RecordNoLeadsAsync(
        string kind, string model, DateTimeOffset from, DateTimeOffset to, int? version, string? arm, LabelState labels, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var mature = labels.IsMature(to);
        var note = "no leads were scored in the window by this model" + (version is null && arm is null ? "" : " in this scope") + ": nothing to judge (is traffic reaching the service?)";
        var summary = new MonitoringRunSummary(mature, labels.DelayP90?.TotalHours, labels.Received, mature ? "final" : "partial", [note], null, null, null, null);
        List<MonitoringFigure> figures = [new("leads", null, 0), new("requests", null, 0)];
        var run = new MonitoringRun(kind, model, version, arm, from, to, started, time.GetUtcNow(), MonitoringRunStatuses.InsufficientData, summary.ToJson());
        return await RecordAsync(run, figures, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MonitoringRunDetail> RecordAsync(MonitoringRun run, List<MonitoringFigure> figures, CancellationToken cancellationToken)
    {
        var id = await store.RecordRunAsync(run, figures, cancellationToken).ConfigureAwait(false);
        var detail = new MonitoringRunDetail(new StoredMonitoringRun(id, run), figures);
        observer?.Recorded(detail);
        return detail;
    }

    private async Task<MonitoringRunOperations> OperationsAsync(string model, int version, string arm, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var logged = await store.Scopes.ReadOperationsAsync(model, version, arm, from, to, cancellationToken).ConfigureAwait(false);
        long? counted = null, errors = null;
        string source;
        if (deployments is null)
        {
            source = "errors not counted: no deployment store in this host";
        }
        else
        {
            foreach (var deployment in await deployments.ListAsync(model, DeploymentStore.MaxLimit, cancellationToken).ConfigureAwait(false))
            {
                // The log keeps a shadow pair under the champion's version, so the shadow arm's counters go with it.
                var armVersion = arm == ServingArms.Challenger ? deployment.ChallengerVersion : deployment.ChampionVersion;
                if (armVersion != version || deployment.CreatedAt >= to || (deployment.EndedAt ?? now) < from)
                {
                    continue;
                }

                foreach (var minute in await deployments.ReadArmMinutesAsync(deployment.Id, from, to, cancellationToken).ConfigureAwait(false))
                {
                    if (minute.Arm == arm)
                    {
                        counted = (counted ?? 0) + minute.Requests;
                        errors = (errors ?? 0) + minute.Errors;
                    }
                }
            }

            source = counted is null
                ? "errors not counted: no deployment counted this version and arm in the window (a model served alone has no per-arm error counters)"
                : "deployment arm minute counters";
        }

        return new MonitoringRunOperations(
            logged.Requests, logged.LatencyP50Microseconds / 1000, logged.LatencyP95Microseconds / 1000, logged.LatencyP99Microseconds / 1000, counted, errors, source);
    }

    private List<string> Notes(WindowReport report, LabelState labels, DateTimeOffset to, bool mature, long? reconciles)
    {
        var notes = new List<string>();
        if (report.QualityFailed)
        {
            var failed = report.DataQuality.Where(q => q.Verdict == QualityVerdict.Failed).Select(q => q.Feature);
            notes.Add($"data quality failed for {string.Join(", ", failed)}: most likely a broken pipeline; fix it before reading drift");
        }

        if (report.InsufficientData)
        {
            notes.Add(Text($"too few leads ({report.Count}) for drift verdicts: at least {_options.MinimumSampleSize} needed"));
        }
        else if (report.DriftedFeaturesByImpact.Count > 0 || report.DriftedFeatures.Count > 0)
        {
            var ranked = report.DriftedFeaturesByImpact.Count > 0 ? report.DriftedFeaturesByImpact.Select(f => f.Feature) : report.DriftedFeatures;
            notes.Add($"drifted features, most consequential first: {string.Join(", ", ranked)}");
        }

        if (!mature && labels.IsMature(to))
        {
            notes.Add(Text($"the P90 conversion delay has passed, but only {(double)report.Labelled / Math.Max(1, report.Count):P0} of the window's leads have an outcome (at least {_matureLabelledShare:P0} needed): realised figures stay partial until more outcomes arrive"));
        }
        else if (!mature)
        {
            notes.Add(labels.Received == 0
                ? "no outcomes have been received at all: realised performance cannot be measured and stays partial (an integration problem: is the CRM sending outcomes?)"
                : labels.DelayP90 is not { } delay
                    ? "no outcome matches a scored lead yet, so the conversion delay is unknown: realised figures are partial; the estimate stands beside them"
                    : Text($"labels are immature until {(to + delay).ToString("O", CultureInfo.InvariantCulture)} (window end + P90 conversion delay of {delay.TotalHours:0.#} h): realised figures are partial; the estimate stands beside them"));
        }
        else if (reconciles is long id)
        {
            notes.Add(Text($"labels matured: this run reconciles run {id}'s estimate with the realised figures"));
        }

        return notes;
    }

    private async Task<LabelState> LabelsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var summary = await feedback.GetMatchSummaryAsync(now, cancellationToken).ConfigureAwait(false);
        return new LabelState(now, summary.Received, summary.Delay.P90);
    }

    private static void Require(bool ok, string field, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {problem}", field);
        }
    }

    private static ArgumentException Invalid(string field, string problem, Exception inner) => new($"{field} {problem}", field, inner);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // What decides whether a window's labels matured: outcomes received at all, and the P90 conversion delay.
    private sealed record LabelState(DateTimeOffset Now, long Received, TimeSpan? DelayP90)
    {
        public bool IsMature(DateTimeOffset windowTo) => Received > 0 && DelayP90 is { } delay && windowTo + delay <= Now;
    }
}
