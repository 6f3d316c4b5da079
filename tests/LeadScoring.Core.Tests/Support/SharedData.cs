using System.Text.Json;

namespace LeadScoring.Core.Tests.Support;

/// <summary>
/// The statistics reference data kept outside the repository (../shared/stats-reference/), and local JSON
/// fixtures. A missing file fails the test with the path it looked at.
/// </summary>
internal static class SharedData
{
    public static string StatsReferencePath(string fileName) => RepositoryPaths.Shared(Path.Combine("stats-reference", fileName));

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
}
