using System.Globalization;
using System.IO.Compression;

namespace LeadScoring.Modeling.Packaging;

/// <summary>
/// Unpacks a package archive without trusting it: only the three package files, each at most once, each inflated
/// into a buffer of the size its header declares, and only when that is within the file's cap; nothing is read
/// past it. A zip bomb is refused after at most one cap's worth of work and memory, whatever its headers say.
/// </summary>
internal static class PackageArchiveReader
{
    /// <summary>Largest model.zip accepted: a real one (120 trees of 15 leaves, calibrator) is well under 10 MiB.</summary>
    public const long MaxModelBytes = 256L << 20;

    /// <summary>Largest metadata.json or reference-profile.json accepted: real ones are tens of KiB.</summary>
    public const long MaxJsonBytes = 32L << 20;

    // With one entry of each name, the caps bound the whole archive to 320 MiB inflated.
    private static readonly string[] Names = [ModelPackage.MetadataFile, ModelPackage.ModelFile, ModelPackage.ProfileFile];

    /// <summary>The largest size <paramref name="name"/> may have, inflated.</summary>
    public static long CapOf(string name) => name == ModelPackage.ModelFile ? MaxModelBytes : MaxJsonBytes;

    /// <summary>The archive's files by name; throws <see cref="ModelPackageException"/> for anything unexpected.</summary>
    public static Dictionary<string, byte[]> Read(byte[] archive, string origin)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(archive, writable: false), ZipArchiveMode.Read);
            // Every entry is checked before any is inflated, so a bad archive costs no decompression.
            if (zip.Entries.Count > Names.Length)
            {
                throw new ModelPackageException(Invariant($"{origin}: the archive has {zip.Entries.Count} entries; a package holds only {string.Join(", ", Names)}"));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!Names.Contains(entry.FullName, StringComparer.Ordinal))
                {
                    throw new ModelPackageException($"{origin}: unexpected entry '{entry.FullName}' in the archive");
                }

                if (!seen.Add(entry.FullName))
                {
                    throw new ModelPackageException($"{origin}: the archive holds {entry.FullName} twice");
                }

                if (entry.Length > CapOf(entry.FullName))
                {
                    throw TooLarge(origin, entry.FullName, entry.Length);
                }
            }

            foreach (var entry in zip.Entries)
            {
                files[entry.FullName] = Inflate(entry, origin);
            }
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException($"{origin}: not a valid package archive ({e.Message})", e);
        }

        return files;
    }

    // Never more than the declared size (capped above) is read or held: the entry stream ends there, and data that
    // inflates further is cut off, so its hash check fails later. A shorter entry is refused here.
    private static byte[] Inflate(ZipArchiveEntry entry, string origin)
    {
        var declared = checked((int)entry.Length);
        var bytes = new byte[declared];
        using var source = entry.Open();
        var read = 0;
        while (read < declared)
        {
            var count = source.Read(bytes, read, declared - read);
            if (count == 0)
            {
                throw new ModelPackageException(Invariant($"{origin}: {entry.FullName} holds {read} bytes, fewer than the {declared} its header declares"));
            }

            read += count;
        }

        return bytes;
    }

    /// <summary>The refusal for a file over its cap.</summary>
    public static ModelPackageException TooLarge(string origin, string name, long size) =>
        new(Invariant($"{origin}: {name} is {size} bytes; the limit is {CapOf(name) >> 20} MiB"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
