using System.Text.Json;

namespace LeadScoring.Core.Tests.Support;

/// <summary>
/// Finds the reference data kept outside the repository: walk up from the test binaries to the folder holding
/// LeadScoring.slnx, then ../shared/stats-reference/. A missing file fails the test with the path it looked at.
/// </summary>
internal static class SharedData
{
    private const string SolutionFile = "LeadScoring.slnx";

    public static string StatsReferencePath(string fileName)
    {
        var root = RepositoryRoot();
        var path = Path.GetFullPath(Path.Combine(root, "..", "shared", "stats-reference", fileName));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Reference file '{fileName}' was not found at '{path}'. The statistics tests need ../shared/stats-reference/ next to the repository (see its README).",
                path);
        }

        return path;
    }

    /// <summary>The parsed JSON array of cases in a reference file.</summary>
    public static JsonElement StatsReference(string fileName)
    {
        using var stream = File.OpenRead(StatsReferencePath(fileName));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    /// <summary>A JSON file copied next to the test binaries from Statistics/Data.</summary>
    public static JsonElement LocalFixture(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Data", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test fixture '{fileName}' was not copied to '{path}'.", path);
        }

        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above '{AppContext.BaseDirectory}' holds {SolutionFile}; cannot locate ../shared/stats-reference.");
    }
}
