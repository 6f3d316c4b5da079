using System.Collections.Concurrent;
using System.Text.Json;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Monitoring;

/// <summary>A version's schema, the window columns it reads, and its reference profile.</summary>
/// <param name="Schema">The version's schema.</param>
/// <param name="Features">Its features as window columns: numeric and boolean as numbers, categorical as strings.</param>
/// <param name="Profile">Its reference profile.</param>
/// <param name="TrainingRocAuc">Its held-out ROC AUC recorded at registration, when known: what realised performance is held against.</param>
internal sealed record MonitoringReference(LeadSchema Schema, IReadOnlyList<MonitoringFeature> Features, ReferenceProfile Profile, double? TrainingRocAuc = null)
{
    /// <summary>
    /// Reads one window of the version's leads (first score per lead in [from, to), outcomes known at
    /// <paramref name="knownBy"/>) with this version's features, and wraps the columns for <see cref="Core.Monitoring.WindowMonitor"/>.
    /// </summary>
    public async Task<MonitoringWindowData> ReadWindowAsync(
        MonitoringStore store, string model, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownBy, int version, string? arm, CancellationToken cancellationToken)
    {
        var columns = await store.Windows.ReadAsync(new MonitoringWindowQuery(model, from, to, knownBy, Features, version, arm), cancellationToken).ConfigureAwait(false);
        return new MonitoringWindowData(Schema, columns.Numeric, columns.Categorical, columns.Scores, columns.Bands, columns.Converted, columns.Revenue, columns.ScoredAtTicks);
    }
}

/// <summary>Reads versions' schemas and reference profiles from the registry, each once (a registered version never changes).</summary>
internal sealed class MonitoringReferences(IModelRegistry registry)
{
    private readonly ConcurrentDictionary<(string Model, int Version), MonitoringReference> _loaded = new();

    public async Task<MonitoringReference> GetAsync(string model, int version, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue((model, version), out var known))
        {
            return known;
        }

        var label = $"{model} v{version}";
        var registered = await registry.GetVersionAsync(model, version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{label} is not in the registry (deleted, or logged by another registry): no reference to compare with");
        var profileJson = await registry.GetReferenceProfileJsonAsync(model, version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{label} has no reference profile: drift cannot be measured");
        var schema = ModelPackage.ParseMetadata(registered.MetadataJson, label).Schema;
        ReferenceProfile profile;
        try
        {
            profile = JsonSerializer.Deserialize<ReferenceProfile>(profileJson, PackageJson.Options)
                ?? throw new InvalidOperationException($"{label}'s reference profile is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{label}'s reference profile cannot be read: {e.Message}", e);
        }

        var features = schema.Features
            .Select(f => new MonitoringFeature(f.Name, f.Type == FeatureType.Categorical ? MonitoringFeatureKind.Categorical : MonitoringFeatureKind.Numeric))
            .ToList();
        return _loaded.GetOrAdd((model, version), new MonitoringReference(schema, features, profile, registered.Auc));
    }
}
