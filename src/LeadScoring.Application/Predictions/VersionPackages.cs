using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Predictions;

/// <summary>A registered version's loaded package, or why it cannot be had (never in the registry, deleted, unloadable).</summary>
/// <param name="ModelName">The registered model.</param>
/// <param name="Version">The version.</param>
/// <param name="Package">The loaded package; null when <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">Why the package cannot be loaded; null when it was.</param>
public sealed record VersionPackage(string ModelName, int Version, ModelPackage? Package, string? Problem);

/// <summary>
/// Loads registered versions' packages from the registry, each (name, version) once per instance: make one per
/// replay or CLI run, so a lead scored a hundred times by one version loads it once. Not thread-safe.
/// A store that cannot be read still throws (the caller's 503 / exit 3); a version that is missing or does not
/// load is a <see cref="VersionPackage.Problem"/>, not an exception.
/// </summary>
public sealed class VersionPackages(IModelRegistry registry)
{
    private readonly Dictionary<(string Name, int Version), VersionPackage> _loaded = [];
    private readonly Dictionary<string, int?> _production = new(StringComparer.Ordinal);

    /// <summary>The package of <paramref name="name"/> v<paramref name="version"/>, or why it cannot be loaded.</summary>
    public async Task<VersionPackage> GetAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_loaded.TryGetValue((name, version), out var known))
        {
            return known;
        }

        var loaded = await LoadAsync(name, version, cancellationToken).ConfigureAwait(false);
        _loaded[(name, version)] = loaded;
        return loaded;
    }

    /// <summary>The version of <paramref name="name"/> in Production now (looked up once per instance), or null when none is.</summary>
    public async Task<int?> GetProductionVersionAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_production.TryGetValue(name, out var version))
        {
            try
            {
                version = (await registry.GetProductionAsync(name, cancellationToken).ConfigureAwait(false))?.Version;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.Invalid)
            {
                // A logged name the registry would not accept cannot have a Production version.
                version = null;
            }

            _production[name] = version;
        }

        return version;
    }

    private async Task<VersionPackage> LoadAsync(string name, int version, CancellationToken cancellationToken)
    {
        var label = $"{name} v{version}";
        try
        {
            var bytes = await registry.GetPackageAsync(name, version, cancellationToken).ConfigureAwait(false);
            return bytes is null
                ? new VersionPackage(name, version, null, $"{label} is not in the registry (deleted, or logged by another registry)")
                : new VersionPackage(name, version, ModelPackage.Load(bytes, label), null);
        }
        catch (ModelPackageException e)
        {
            return new VersionPackage(name, version, null, $"{label} cannot be loaded: {e.Message}");
        }
        catch (RegistryException e) when (e.Kind is RegistryErrorKind.Invalid or RegistryErrorKind.NotFound)
        {
            return new VersionPackage(name, version, null, $"{label} cannot be looked up: {e.Message}");
        }
    }
}
