using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScoring.Core.Features;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using Microsoft.ML;

namespace LeadScoring.Modeling.Packaging;

/// <summary>
/// A model package: <c>model.zip</c> (the ML.NET model, calibrator included), <c>metadata.json</c> (schema,
/// vocabulary, parameters, metrics, lineage, and the SHA-256 of the other files) and
/// <c>reference-profile.json</c> (the training data's distributions). It lives as a folder on disk and as a
/// single zip archive in the registry. Loading checks every hash, loads the model and checks that its input
/// columns fit the schema, so a corrupt, truncated or mismatched package never gets as far as scoring.
/// </summary>
public sealed class ModelPackage
{
    /// <summary>The ML.NET model file.</summary>
    public const string ModelFile = "model.zip";

    /// <summary>The metadata file.</summary>
    public const string MetadataFile = "metadata.json";

    /// <summary>The reference profile file.</summary>
    public const string ProfileFile = "reference-profile.json";

    /// <summary>The package format this code reads and writes.</summary>
    public const int FormatVersion = 1;

    private static readonly DateTimeOffset ArchiveTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private ModelPackage(ModelMetadata metadata, string metadataJson, ReferenceProfile profile, FeatureEncoder encoder, LeadScorer scorer)
    {
        Metadata = metadata;
        MetadataJson = metadataJson;
        Profile = profile;
        Encoder = encoder;
        Scorer = scorer;
    }

    /// <summary>What the model is and how it was made.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>metadata.json as stored in the package (copied verbatim into the registry).</summary>
    public string MetadataJson { get; }

    /// <summary>The schema of the leads it scores.</summary>
    public LeadSchema Schema => Metadata.Schema;

    /// <summary>The training data's distributions.</summary>
    public ReferenceProfile Profile { get; }

    /// <summary>Turns feature values into model inputs.</summary>
    public FeatureEncoder Encoder { get; }

    /// <summary>Scores leads (thread-safe).</summary>
    public LeadScorer Scorer { get; }

    /// <summary>Writes a trained model as a package folder; returns the metadata as written (with file hashes).</summary>
    public static ModelMetadata Write(TrainedModel trained, string directory)
    {
        var contents = Pack(trained);
        contents.WriteTo(directory);
        return contents.Metadata;
    }

    /// <summary>
    /// Builds a trained model's package files in memory (the metadata records the other files' hashes): write them
    /// as a folder, or pack them straight into the registry's archive with no folder at all.
    /// </summary>
    public static PackageContents Pack(TrainedModel trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        byte[] model;
        using (var buffer = new MemoryStream())
        {
            trained.Ml.Model.Save(trained.Model, ModelInput.View(trained.Ml, [], trained.Encoder).Schema, buffer);
            model = buffer.ToArray();
        }

        var profile = JsonSerializer.SerializeToUtf8Bytes(trained.Profile, PackageJson.Options);
        var metadata = trained.Metadata with
        {
            Files = new Dictionary<string, string>
            {
                [ModelFile] = Hash(model),
                [ProfileFile] = Hash(profile),
            },
        };
        return new PackageContents(metadata, JsonSerializer.SerializeToUtf8Bytes(metadata, PackageJson.Options), model, profile);
    }

    /// <summary>Loads and checks a package folder.</summary>
    public static ModelPackage Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelPackageException($"{directory}: no such package folder");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in new[] { MetadataFile, ModelFile, ProfileFile })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new ModelPackageException($"{directory}: {name} is missing; a package holds {MetadataFile}, {ModelFile} and {ProfileFile}");
            }

            var size = new FileInfo(path).Length;
            if (size > PackageArchiveReader.CapOf(name))
            {
                throw PackageArchiveReader.TooLarge(directory, name, size);
            }

            files[name] = File.ReadAllBytes(path);
        }

        return FromFiles(files, directory);
    }

    /// <summary>Loads and checks a package archive (as stored in the registry).</summary>
    public static ModelPackage Load(byte[] archive, string origin = "package archive") => FromFiles(Unzip(archive, origin), origin);

    /// <summary>Packs a package folder into one archive (deterministic: the same files give the same bytes).</summary>
    public static byte[] Archive(string directory)
    {
        var files = new List<(string, byte[])>();
        foreach (var name in new[] { MetadataFile, ModelFile, ProfileFile })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new ModelPackageException($"{directory}: {name} is missing");
            }

            files.Add((name, File.ReadAllBytes(path)));
        }

        return Zip(files);
    }

    /// <summary>Zips package files in the given order with a fixed timestamp, so the same files give the same bytes.</summary>
    internal static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = ArchiveTimestamp;
                using var target = entry.Open();
                target.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Unpacks an archive into a folder (for `leadscore` commands that work on folders).</summary>
    public static void Extract(byte[] archive, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, bytes) in Unzip(archive, "package archive"))
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }

    /// <summary>Parses and checks metadata.json text (as the registry stores it), without loading a model.</summary>
    public static ModelMetadata ParseMetadata(string json, string origin) => ParseMetadata(System.Text.Encoding.UTF8.GetBytes(json), origin);

    /// <summary>Reads only the metadata of a package folder, without loading the model.</summary>
    public static ModelMetadata ReadMetadata(string directory) =>
        ParseMetadata(File.ReadAllBytes(Path.Combine(directory, MetadataFile)), directory);

    /// <summary>
    /// Scores a probe set built from the reference profile (typical, extreme, missing and unseen values) and
    /// checks every score is a finite probability. Throws <see cref="ModelPackageException"/> otherwise.
    /// </summary>
    public int Probe(int count = 256, int seed = 7)
    {
        var probes = ProbeSet.Build(Schema, Profile, Encoder, count, seed);
        foreach (var probe in probes)
        {
            var score = Scorer.Score(probe);
            if (!double.IsFinite(score) || score < 0 || score > 1)
            {
                throw new ModelPackageException($"the model scored a probe lead as {score}; scores must be finite probabilities in [0, 1]");
            }
        }

        return probes.Count;
    }

    private static ModelPackage FromFiles(Dictionary<string, byte[]> files, string origin)
    {
        foreach (var name in new[] { MetadataFile, ModelFile, ProfileFile })
        {
            if (!files.ContainsKey(name))
            {
                throw new ModelPackageException($"{origin}: {name} is missing");
            }
        }

        var metadata = ParseMetadata(files[MetadataFile], origin);
        foreach (var name in new[] { ModelFile, ProfileFile })
        {
            if (!metadata.Files.TryGetValue(name, out var expected))
            {
                throw new ModelPackageException($"{origin}: {MetadataFile} does not record the SHA-256 of {name}");
            }

            var actual = Hash(files[name]);
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelPackageException($"{origin}: {name} is corrupt or truncated (SHA-256 {actual[..12]}…, metadata says {expected[..Math.Min(12, expected.Length)]}…)");
            }
        }

        ReferenceProfile profile;
        try
        {
            profile = JsonSerializer.Deserialize<ReferenceProfile>(files[ProfileFile], PackageJson.Options)
                ?? throw new ModelPackageException($"{origin}: {ProfileFile} is empty");
        }
        catch (JsonException e)
        {
            throw new ModelPackageException($"{origin}: {ProfileFile} is not valid ({e.Message})", e);
        }

        var encoder = new FeatureEncoder(metadata.Schema, metadata.Vocabulary);
        var ml = new MLContext(metadata.Parameters.Seed);
        ITransformer model;
        DataViewSchemaCheck.Result inputCheck;
        try
        {
            using var stream = new MemoryStream(files[ModelFile], writable: false);
            model = ml.Model.Load(stream, out var inputSchema);
            inputCheck = DataViewSchemaCheck.Matches(inputSchema, encoder);
        }
        catch (Exception e) when (e is not ModelPackageException)
        {
            throw new ModelPackageException($"{origin}: {ModelFile} cannot be loaded by ML.NET ({e.Message})", e);
        }

        if (!inputCheck.Ok)
        {
            throw new ModelPackageException($"{origin}: the model does not fit its schema: {inputCheck.Problem}");
        }

        return new ModelPackage(metadata, System.Text.Encoding.UTF8.GetString(files[MetadataFile]), profile, encoder, new LeadScorer(ml, model, encoder));
    }

    private static ModelMetadata ParseMetadata(byte[] bytes, string origin)
    {
        ModelMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<ModelMetadata>(bytes, PackageJson.Options);
        }
        catch (Exception e) when (e is JsonException or SchemaException or NotSupportedException)
        {
            throw new ModelPackageException($"{origin}: {MetadataFile} is not valid ({e.Message})", e);
        }

        if (metadata is null || metadata.Schema is null || metadata.Files is null || metadata.Vocabulary is null || metadata.Parameters is null)
        {
            throw new ModelPackageException($"{origin}: {MetadataFile} lacks required fields (schema, vocabulary, parameters, files)");
        }

        if (metadata.FormatVersion != FormatVersion)
        {
            throw new ModelPackageException($"{origin}: package format {metadata.FormatVersion} is not supported (this version reads format {FormatVersion})");
        }

        return metadata;
    }

    private static Dictionary<string, byte[]> Unzip(byte[] archive, string origin) => PackageArchiveReader.Read(archive, origin);

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
