using System.Globalization;
using LeadScoring.Application.Deployments;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Monitoring.Investigation;
using LeadScoring.Core.Scoring;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Monitoring.Investigation;

/// <summary>What to investigate.</summary>
/// <param name="ModelName">The model; null: the only model with a Production version.</param>
/// <param name="Days">The period, in days up to now (1 to 90).</param>
public sealed record InvestigationRequest(string? ModelName, int Days = 14)
{
    /// <summary>The longest period.</summary>
    public const int MaxDays = 90;
}

/// <summary>The investigation asked about a model that does not exist or serves nothing.</summary>
public sealed class InvestigationTargetException(string message) : Exception(message);

/// <summary>
/// The seed's complaint ("the scores no longer help us prioritise leads") investigated on the real data: gathers the
/// evidence from the stores (the prediction log and outcomes of the period, the registry's audit log and the
/// deployments, the served version's training figures, a running comparison) and runs <see cref="Investigator"/>'s
/// checklist on it. Shared by <c>GET /monitoring/investigation</c> and <c>leadscore investigate</c>.
/// </summary>
public sealed class InvestigationUseCase(
    IModelRegistry registry,
    MonitoringStore monitoring,
    FeedbackReader feedback,
    DeploymentStore deployments,
    TimeProvider time,
    MonitoringRunSettings? settings = null,
    ScoreBuckets? bands = null)
{
    // Without any matched outcome the delay is unknown; leads this old are expected to have one by then.
    private static readonly TimeSpan AssumedDelay = TimeSpan.FromDays(7);

    private readonly MonitoringReferences _references = new(registry);
    private readonly MonitoringOptions _options = (settings ?? new MonitoringRunSettings()).ToMonitoringOptions();

    /// <summary>
    /// Runs the investigation. A bad field is an <see cref="ArgumentException"/> named after it (model, days); a model
    /// that does not exist or has no Production version is an <see cref="InvestigationTargetException"/>.
    /// </summary>
    /// <param name="request">The model and period.</param>
    /// <param name="service">Live request and error counters of the scoring service, when the caller has them.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<InvestigationDocument> InvestigateAsync(InvestigationRequest request, ServiceEvidence? service = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Days is < 1 or > InvestigationRequest.MaxDays)
        {
            throw Invalid("days", $"days must be between 1 and {InvestigationRequest.MaxDays} (got {request.Days})");
        }

        var (model, production) = await TargetAsync(request.ModelName, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var from = now.AddDays(-request.Days);
        var reference = await _references.GetAsync(model, production.Version, cancellationToken).ConfigureAwait(false);
        var window = await reference.ReadWindowAsync(monitoring, model, from, now, now, production.Version, null, cancellationToken).ConfigureAwait(false);
        var report = window.Count == 0 ? null : WindowMonitor.Analyze(reference.Profile, window, _options);

        var matches = await feedback.GetMatchSummaryAsync(now, cancellationToken).ConfigureAwait(false);
        var delay = matches.Delay.P90;
        var matureBefore = (now - (delay ?? AssumedDelay)).UtcTicks;
        long mature = 0, matureLabelled = 0;
        for (var i = 0; i < window.Count; i++)
        {
            if (window.ScoredAt[i] <= matureBefore)
            {
                mature++;
                matureLabelled += window.Converted[i].HasValue ? 1 : 0;
            }
        }

        var before = (await monitoring.Scopes.ListAsync(model, from.AddDays(-request.Days), from, cancellationToken).ConfigureAwait(false))
            .Where(s => s.ModelVersion == production.Version).Sum(s => s.Leads);
        var evidence = new InvestigationEvidence(
            request.Days,
            (service ?? new ServiceEvidence(0, 0)) with { ScoredLeads = window.Count, ScoredLeadsBefore = before },
            await ChangesAsync(model, from, cancellationToken).ConfigureAwait(false),
            new OutcomeEvidence(matches.Received, mature, matureLabelled, delay),
            report,
            Training(production, reference.Profile.PositiveRate),
            await ComparisonAsync(model, cancellationToken).ConfigureAwait(false));
        var result = Investigator.Investigate(evidence);
        return InvestigationDocument.Of(model, production.Version, from, now, result, report);
    }

    private async Task<(string Model, ModelVersion Production)> TargetAsync(string? requested, CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            if (string.IsNullOrWhiteSpace(requested))
            {
                throw Invalid("model", "model must not be empty");
            }

            ModelVersion? production;
            try
            {
                production = await registry.GetProductionAsync(requested, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.Invalid)
            {
                throw Invalid("model", $"model {e.Message}", e);
            }

            return (requested, production ?? throw new InvestigationTargetException($"model '{requested}' has no version in Production (or does not exist): nothing is served to investigate"));
        }

        var served = (await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.ProductionVersion is not null).ToList();
        return served.Count switch
        {
            0 => throw new InvestigationTargetException("no model has a version in Production: nothing is served to investigate"),
            1 => (served[0].Name, (await registry.GetProductionAsync(served[0].Name, cancellationToken).ConfigureAwait(false))!),
            _ => throw Invalid("model", $"several models are served ({string.Join(", ", served.Select(m => m.Name))}): name one"),
        };
    }

    private async Task<List<ChangeEvidence>> ChangesAsync(string model, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var changes = new List<ChangeEvidence>();
        foreach (var entry in await registry.GetAuditLogAsync(model, 500, cancellationToken).ConfigureAwait(false))
        {
            if (entry.At < from || entry.Action is not ("stage" or "rollback" or "alias-set" or "alias-removed"))
            {
                continue;
            }

            var served = entry.Action is "stage" or "rollback" && (entry.To == nameof(ModelStage.Production) || entry.From == nameof(ModelStage.Production));
            var what = entry.Action.StartsWith("alias", StringComparison.Ordinal)
                ? $"alias {entry.Alias} {(entry.To is null ? "removed" : $"set to v{entry.To}")} by {entry.Actor}"
                : $"v{entry.Version} {entry.From} → {entry.To} ({entry.Action}) by {entry.Actor}";
            changes.Add(new ChangeEvidence(entry.At, what + (entry.Reason is { Length: > 0 } r ? $": {r}" : ""), served));
        }

        foreach (var deployment in await deployments.ListAsync(model, DeploymentStore.MaxLimit, cancellationToken).ConfigureAwait(false))
        {
            if (deployment.UpdatedAt < from)
            {
                continue;
            }

            foreach (var e in await deployments.GetEventsAsync(deployment.Id, cancellationToken).ConfigureAwait(false))
            {
                if (e.At >= from)
                {
                    var served = e.Action is DeploymentNames.Started or DeploymentNames.StepAdvanced or DeploymentNames.RolledBack or DeploymentNames.Approved;
                    changes.Add(new ChangeEvidence(e.At, $"{DeploymentNames.Of(deployment.Mode)} deployment {deployment.Id} (v{deployment.ChallengerVersion}): {e.Action} by {e.Actor}{(e.Reason is { Length: > 0 } r ? $": {r}" : "")}", served && deployment.Mode != DeploymentMode.Shadow));
                }
            }
        }

        return [.. changes.OrderBy(c => c.At)];
    }

    private TrainingEvidence Training(ModelVersion production, double? positiveRate)
    {
        var metrics = ModelPackage.ParseMetadata(production.MetadataJson, $"{production.ModelName} v{production.Version}").Metrics;
        var buckets = bands ?? ScoreBuckets.Default;
        var byBand = metrics.Calibration
            .Where(b => b.Count > 0)
            .GroupBy(b => buckets.Of(b.MeanScore))
            .ToDictionary(g => g.Key, g => g.Sum(b => b.Count * b.ObservedRate) / g.Sum(b => b.Count), StringComparer.Ordinal);
        return new TrainingEvidence(production.Version, production.Auc ?? metrics.Auc, metrics.Ece, positiveRate, byBand);
    }

    private async Task<ShadowEvidence?> ComparisonAsync(string model, CancellationToken cancellationToken)
    {
        if (await deployments.GetActiveAsync(model, cancellationToken).ConfigureAwait(false) is not { ChallengerVersion: int challenger } active)
        {
            return null;
        }

        var analysis = DeploymentAnalysisDocument.Of(await new DeploymentAnalysisUseCase(deployments, feedback, time, bands).AnalyzeAsync(active.Id, null, cancellationToken).ConfigureAwait(false));
        return new ShadowEvidence(active.Id, analysis.Mode, challenger, analysis.Champion.RocAuc, analysis.Challenger.RocAuc, string.Create(CultureInfo.InvariantCulture, $"{analysis.Recommendation.Kind}: {analysis.Recommendation.Reason}"));
    }

    // The field named is the request's (model, days), which the endpoint and the CLI report under that name.
    private static ArgumentException Invalid(string field, string message, Exception? inner = null) => new(message, field, inner);
}
