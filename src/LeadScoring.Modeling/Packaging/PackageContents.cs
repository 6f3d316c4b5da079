namespace LeadScoring.Modeling.Packaging;

/// <summary>
/// A package's three files in memory, built once from a trained model: written as a folder they are what
/// <see cref="ModelPackage.Archive(string)"/> packs, and <see cref="ToArchive"/> packs them to the same bytes directly.
/// </summary>
public sealed class PackageContents
{
    private readonly byte[] _metadata;
    private readonly byte[] _model;
    private readonly byte[] _profile;

    internal PackageContents(ModelMetadata metadata, byte[] metadataJson, byte[] model, byte[] profile)
    {
        Metadata = metadata;
        _metadata = metadataJson;
        _model = model;
        _profile = profile;
    }

    /// <summary>The metadata as written, with the other files' hashes.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The package archive the registry stores and HTTP upload takes.</summary>
    public byte[] ToArchive() => ModelPackage.Zip(Files());

    /// <summary>Writes the files into <paramref name="directory"/> (created if needed).</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        // metadata.json last: a folder whose writing was cut short lacks it and never loads as a package.
        File.WriteAllBytes(Path.Combine(directory, ModelPackage.ModelFile), _model);
        File.WriteAllBytes(Path.Combine(directory, ModelPackage.ProfileFile), _profile);
        File.WriteAllBytes(Path.Combine(directory, ModelPackage.MetadataFile), _metadata);
    }

    // The archive's entry order, the same as ModelPackage.Archive reads a folder in.
    private IEnumerable<(string Name, byte[] Bytes)> Files() =>
    [
        (ModelPackage.MetadataFile, _metadata),
        (ModelPackage.ModelFile, _model),
        (ModelPackage.ProfileFile, _profile),
    ];
}
