using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Tests.Support;

namespace LeadScoring.Modeling.Tests.Packaging;

[Collection(TrainedModelsCollection.Name)]
public sealed class ModelPackageTests(TrainedModels models)
{
    [Fact]
    public void A_package_holds_the_model_metadata_and_reference_profile()
    {
        Assert.True(File.Exists(Path.Combine(models.SimulatedPackage, "model.zip")));
        Assert.True(File.Exists(Path.Combine(models.SimulatedPackage, "metadata.json")));
        Assert.True(File.Exists(Path.Combine(models.SimulatedPackage, "reference-profile.json")));

        var package = ModelPackage.Load(models.SimulatedPackage);

        Assert.Equal("simulated-leads", package.Metadata.Name);
        Assert.Equal(3000, package.Profile.Rows);
        Assert.Equal(4, package.Profile.Numeric.Count);
        Assert.Equal(7, package.Profile.Categorical.Count);
        var visits = package.Profile.Numeric.Single(p => p.Name == "total_visits");
        Assert.Equal(visits.Count, visits.BinCounts.Sum());
        Assert.Equal(3000, visits.Count + visits.Missing);
        Assert.NotNull(package.Profile.Score);
    }

    [Fact]
    public void A_loaded_package_scores_like_the_freshly_trained_model_and_passes_its_probe()
    {
        var package = ModelPackage.Load(models.SimulatedPackage);
        var leads = LeadSimulator.Generate(new SimulationOptions(500, Seed: 99)).Table;

        var scores = package.Scorer.Score(leads);

        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Equal(256, package.Probe());
        var one = new LeadFeatures(leads.Schema.Features.Count);
        for (var f = 0; f < leads.Columns.Count; f++)
        {
            if (leads.Columns[f] is NumericColumn n)
            {
                one.Numbers[f] = n.Values[7];
            }
            else
            {
                one.Categories[f] = ((CategoricalColumn)leads.Columns[f]).Values[7];
            }
        }

        Assert.Equal(scores[7], package.Scorer.Score(one));
    }

    [Fact]
    public void An_archive_is_deterministic_and_loads_like_the_folder()
    {
        var first = ModelPackage.Archive(models.SimulatedPackage);
        var second = ModelPackage.Archive(models.SimulatedPackage);

        Assert.Equal(first, second);
        var fromArchive = ModelPackage.Load(first);
        Assert.Equal(models.Simulated.Files["model.zip"], fromArchive.Metadata.Files["model.zip"]);
    }

    [Fact]
    public void A_corrupted_model_file_is_rejected()
    {
        var copy = models.CopyOfSimulatedPackage();
        var path = Path.Combine(copy, "model.zip");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("model.zip is corrupt or truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_archive_is_rejected()
    {
        var archive = ModelPackage.Archive(models.SimulatedPackage);

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(archive[..(archive.Length / 2)]));

        Assert.Contains("not a valid package archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_without_its_profile_is_rejected()
    {
        var copy = models.CopyOfSimulatedPackage();
        File.Delete(Path.Combine(copy, "reference-profile.json"));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("reference-profile.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_whose_vocabulary_does_not_fit_the_model_is_rejected()
    {
        var copy = models.CopyOfSimulatedPackage();
        var path = Path.Combine(copy, "metadata.json");
        var metadata = JsonNode.Parse(File.ReadAllText(path))!;
        metadata["vocabulary"]!["lead_source"]!.AsArray().Add("carrier_pigeon");
        File.WriteAllText(path, metadata.ToJsonString());

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("does not fit its schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_package_format_is_rejected()
    {
        var copy = models.CopyOfSimulatedPackage();
        var path = Path.Combine(copy, "metadata.json");
        var metadata = JsonNode.Parse(File.ReadAllText(path))!;
        metadata["format_version"] = 99;
        File.WriteAllText(path, metadata.ToJsonString());

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("package format 99 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_that_is_not_json_is_rejected()
    {
        var copy = models.CopyOfSimulatedPackage();
        File.WriteAllText(Path.Combine(copy, "metadata.json"), "{ not json");

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("metadata.json is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_with_unexpected_entries_is_rejected()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("../evil.sh").Open());
            writer.Write("rm -rf /");
        }

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(buffer.ToArray()));

        Assert.Contains("unexpected entry '../evil.sh'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_that_inflates_past_what_its_header_declares_is_cut_off_there_and_refused()
    {
        var bomb = ZipBombs.Declare(ZipBombs.Build(PackageJsonFiles(), ModelPackage.ModelFile, 256L << 20), ModelPackage.ModelFile, 1000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(bomb));

        Assert.Contains("model.zip is corrupt or truncated", error.Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"refused in {watch.ElapsedMilliseconds} ms");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20, "the 256 MiB entry was not inflated");
    }

    [Fact]
    public void An_entry_shorter_than_its_header_declares_is_refused()
    {
        var archive = ZipBombs.Declare(ZipBombs.Build(PackageJsonFiles(), ModelPackage.ModelFile, 1000), ModelPackage.ModelFile, 5000);

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(archive));

        Assert.Contains("model.zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_over_its_cap_is_refused_without_inflating_it()
    {
        var bomb = ZipBombs.Build([], ModelPackage.MetadataFile, 33L << 20);
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(bomb));

        Assert.Contains("metadata.json is 34603008 bytes; the limit is 32 MiB", error.Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"refused in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void An_archive_with_more_entries_than_a_package_has_is_refused()
    {
        var many = Enumerable.Range(0, 1000).Select(i => KeyValuePair.Create($"{i}.json", new byte[10]));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(ZipBombs.Build(many, ModelPackage.ModelFile, 10)));

        Assert.Contains("the archive has 1001 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_holding_a_file_twice_is_refused()
    {
        var twice = PackageJsonFiles().Where(f => f.Key == ModelPackage.MetadataFile);

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(ZipBombs.Build(twice, ModelPackage.MetadataFile, 10)));

        Assert.Contains("holds metadata.json twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_with_nested_names_is_refused()
    {
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(ZipBombs.Build(PackageJsonFiles(), "package/model.zip", 10)));

        Assert.Contains("unexpected entry 'package/model.zip'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_folder_with_an_oversized_file_is_refused_before_reading_it()
    {
        var copy = models.CopyOfSimulatedPackage();
        using (var profile = File.OpenWrite(Path.Combine(copy, ModelPackage.ProfileFile)))
        {
            profile.SetLength((32L << 20) + 1);
        }

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(copy));

        Assert.Contains("reference-profile.json is 33554433 bytes; the limit is 32 MiB", error.Message, StringComparison.Ordinal);
    }

    private List<KeyValuePair<string, byte[]>> PackageJsonFiles() =>
        [
            KeyValuePair.Create(ModelPackage.MetadataFile, File.ReadAllBytes(Path.Combine(models.SimulatedPackage, ModelPackage.MetadataFile))),
            KeyValuePair.Create(ModelPackage.ProfileFile, File.ReadAllBytes(Path.Combine(models.SimulatedPackage, ModelPackage.ProfileFile))),
        ];
}
