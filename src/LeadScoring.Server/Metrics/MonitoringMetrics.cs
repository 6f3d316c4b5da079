using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LeadScoring.Application.Monitoring;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Server.Metrics;

/// <summary>
/// The monitoring runs in /metrics (Meter <see cref="MeterName"/>): runs stored by this instance, by kind and status;
/// and gauges of the latest scheduled run's figures per model, version, arm and kind (PSI per feature, overall PSI,
/// drifted and quality-failed features, score PSI, estimated and realised ROC AUC, and the estimate's gap). Each
/// figure keeps the value of the run with the latest window that recorded it, so the realised AUC of a matured
/// window stays while newer windows are still partial. Manual and failed runs move only the counter.
/// </summary>
/// <remarks>
/// Fed as runs are stored on this instance (it is the runner's <see cref="IMonitoringRunObserver"/>): with several
/// replicas a scheduled run happens on one of them, so aggregate the gauges across instances (max by labels).
/// </remarks>
public sealed class MonitoringMetrics : IMonitoringRunObserver
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LeadScoring.Monitoring";

    // Figure name → (instrument, description, per feature).
    private static readonly (string Figure, string Instrument, string Description, bool PerFeature)[] Gauges =
    [
        ("psi", "leadscoring.monitoring.psi", "PSI of a feature in the latest monitored window, against the model's reference", true),
        ("overall_psi", "leadscoring.monitoring.overall_psi", "Mean PSI over the features in the latest monitored window", false),
        ("drifted_features", "leadscoring.monitoring.drifted_features", "Features judged drifted in the latest monitored window", false),
        ("quality_failed_features", "leadscoring.monitoring.quality_failed_features", "Features failing their data-quality limits in the latest monitored window", false),
        ("score_psi", "leadscoring.monitoring.score_psi", "PSI of the scores in the latest monitored window, against the reference's", false),
        ("estimated_roc_auc", "leadscoring.monitoring.estimated_roc_auc", "ROC AUC estimated from the scores alone (CBPE) in the latest monitored window", false),
        ("roc_auc", "leadscoring.monitoring.realised_roc_auc", "Realised ROC AUC of the latest monitored window whose labels matured", false),
        ("auc_gap", "leadscoring.monitoring.auc_gap", "Estimated minus realised ROC AUC of the latest matured window (concept drift opens it)", false),
    ];

    private readonly ConcurrentDictionary<(string Figure, string Model, int Version, string Arm, string Kind, string? Feature), (DateTimeOffset WindowTo, double Value)> _latest = new();
    private readonly Counter<long> _runs;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public MonitoringMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        foreach (var (figure, instrument, description, perFeature) in Gauges)
        {
            meter.CreateObservableGauge(instrument, () => Observe(figure, perFeature), unit: null, description);
        }

        _runs = meter.CreateCounter<long>("leadscoring.monitoring.runs", "{run}", "Monitoring runs stored by this instance, by kind and status");
    }

    /// <inheritdoc/>
    public void Recorded(MonitoringRunDetail run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Run.Run;
        _runs.Add(1, new KeyValuePair<string, object?>("kind", r.Kind), new("status", r.Status));
        if (r.Kind == MonitoringRunKinds.Manual || r.Status == MonitoringRunStatuses.Failed || r.ModelVersion is not int version || r.Arm is not { } arm)
        {
            return;
        }

        foreach (var figure in run.Figures)
        {
            if (!Array.Exists(Gauges, g => g.Figure == figure.Metric))
            {
                continue;
            }

            var entry = (r.WindowTo, figure.Value);
            _latest.AddOrUpdate((figure.Metric, r.ModelName, version, arm, r.Kind, figure.Feature), entry, (_, known) => known.WindowTo > r.WindowTo ? known : entry);
        }
    }

    private IEnumerable<Measurement<double>> Observe(string figure, bool perFeature)
    {
        foreach (var (key, (_, value)) in _latest)
        {
            if (key.Figure != figure)
            {
                continue;
            }

            KeyValuePair<string, object?>[] tags = perFeature
                ? [new("model", key.Model), new("version", key.Version), new("arm", key.Arm), new("kind", key.Kind), new("feature", key.Feature)]
                : [new("model", key.Model), new("version", key.Version), new("arm", key.Arm), new("kind", key.Kind)];
            yield return new Measurement<double>(value, tags);
        }
    }
}
