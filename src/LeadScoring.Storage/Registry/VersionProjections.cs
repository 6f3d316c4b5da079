using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The fields of a version the registry keeps in their own columns, taken from what was registered when the caller
/// did not supply them: the held-out AUC from the metadata and the reference profile from the package.
/// </summary>
internal static class VersionProjections
{
    /// <summary>The package entry holding the reference profile (the package format's name for it).</summary>
    public const string ReferenceProfileEntry = "reference-profile.json";

    // The profile is a few kilobytes; anything far larger is not one, and reading it would only cost memory.
    private const int MaxProfileBytes = 16 * 1024 * 1024;

    /// <summary><c>metrics.auc</c> of a metadata document, or null when absent or not a number.</summary>
    public static double? AucFromMetadata(string metadataJson)
    {
        try
        {
            using var metadata = JsonDocument.Parse(metadataJson);
            return metadata.RootElement.ValueKind == JsonValueKind.Object
                && metadata.RootElement.TryGetProperty("metrics", out var metrics)
                && metrics.ValueKind == JsonValueKind.Object
                && metrics.TryGetProperty("auc", out var auc)
                && auc.TryGetDouble(out var value)
                    ? value
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text of the package's <c>reference-profile.json</c>, or null when the package is not a zip or has none.</summary>
    public static string? ReferenceProfileFromPackage(byte[] package)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read);
            var entry = zip.GetEntry(ReferenceProfileEntry);
            if (entry is null || entry.Length > MaxProfileBytes)
            {
                return null;
            }

            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
