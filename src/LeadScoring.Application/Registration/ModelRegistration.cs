using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Registration;

/// <summary>
/// Registers a model package only after it proves itself: it loads (every file's hash checked, the ML.NET
/// model read, its inputs matched to the schema), it scores a probe set to finite probabilities, and its
/// features match the model's latest version (unless a schema change is allowed). A package that fails any
/// check never reaches the registry.
/// </summary>
public sealed class ModelRegistration(IModelRegistry registry)
{
    /// <summary>Validates and registers; throws <see cref="ModelPackageException"/> or <see cref="RegistryException"/> on refusal.</summary>
    public async Task<ModelVersion> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var package = Verify(request.Archive, "uploaded package");
        var versions = await registry.ListVersionsAsync(request.ModelName, cancellationToken).ConfigureAwait(false);
        var latest = versions.Count > 0 ? versions[0] : null;
        if (latest is not null && !request.AllowSchemaChange)
        {
            // The registry keeps each version's metadata.json; its schema is all the comparison needs.
            var previous = ModelPackage.ParseMetadata(latest.MetadataJson, $"{request.ModelName} v{latest.Version}");
            if (!previous.Schema.HasSameFeatures(package.Schema))
            {
                throw new RegistryException(
                    RegistryErrorKind.Conflict,
                    $"the package's features differ from {request.ModelName} v{latest.Version} ({Describe(previous.Schema, package.Schema)}); callers would break. Register under a new name, or allow a schema change explicitly.");
            }
        }

        return await registry.RegisterAsync(
            new NewModelVersion(request.ModelName, request.Archive, package.MetadataJson, request.Actor, request.Description, request.Tags, request.Reason)
            {
                Auc = package.Metadata.Metrics.Auc,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The registry-free half of the gate: loads the archive (every hash checked, the ML.NET model read, its inputs
    /// matched to the schema) and probe-scores it. Throws <see cref="ModelPackageException"/> naming <paramref name="origin"/>.
    /// </summary>
    public static ModelPackage Verify(byte[] archive, string origin)
    {
        var package = ModelPackage.Load(archive, origin);
        package.Probe();
        return package;
    }

    private static string Describe(LeadSchema before, LeadSchema after)
    {
        var removed = before.Features.Except(after.Features).Select(f => f.Name).ToList();
        var added = after.Features.Except(before.Features).Select(f => f.Name).ToList();
        var parts = new List<string>();
        if (removed.Count > 0)
        {
            parts.Add("dropped or retyped: " + string.Join(", ", removed));
        }

        if (added.Count > 0)
        {
            parts.Add("new or retyped: " + string.Join(", ", added));
        }

        return parts.Count > 0 ? string.Join("; ", parts) : "same features in another order";
    }
}
