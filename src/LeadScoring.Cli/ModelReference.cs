using System.Globalization;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Cli;

/// <summary>
/// Resolves a model reference: a package folder, or NAME@VERSION, NAME@ALIAS or NAME@production in the
/// registry (NAME alone means NAME@production).
/// </summary>
internal static class ModelReference
{
    /// <summary>Loads a package folder, or the package of a registered version; <paramref name="registry"/> is only opened for the latter.</summary>
    public static async Task<ModelPackage> LoadAsync(string reference, Func<IModelRegistry> registry, CancellationToken cancellationToken)
    {
        if (Directory.Exists(reference))
        {
            return ModelPackage.Load(reference);
        }

        var store = registry();
        var version = await ResolveAsync(store, reference, cancellationToken).ConfigureAwait(false);
        var bytes = await store.GetPackageAsync(version.ModelName, version.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"{version.ModelName} v{version.Version} has no stored package");
        return ModelPackage.Load(bytes, $"{version.ModelName} v{version.Version}");
    }

    public static async Task<ModelVersion> ResolveAsync(IModelRegistry registry, string reference, CancellationToken cancellationToken)
    {
        var (name, selector) = Split(reference);
        ModelVersion? found;
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            found = await registry.GetVersionAsync(name, number, cancellationToken).ConfigureAwait(false);
        }
        else if (string.Equals(selector, "production", StringComparison.OrdinalIgnoreCase))
        {
            found = await registry.GetProductionAsync(name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            found = await registry.GetByAliasAsync(name, selector, cancellationToken).ConfigureAwait(false);
        }

        return found ?? throw new RegistryException(RegistryErrorKind.NotFound, $"'{reference}' is neither a package folder nor a registered model version (NAME@VERSION, NAME@ALIAS or NAME@production)");
    }

    /// <summary>Splits NAME@VERSION; a bare name means its Production version.</summary>
    public static (string Name, string Selector) Split(string reference)
    {
        var at = reference.LastIndexOf('@');
        return at < 0 ? (reference, "production") : (reference[..at], reference[(at + 1)..]);
    }
}
