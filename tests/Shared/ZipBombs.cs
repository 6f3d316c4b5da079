using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LeadScoring.Tests.Shared;

/// <summary>Hostile package archives: entries that inflate far beyond their compressed size, or beyond what their headers declare.</summary>
internal static class ZipBombs
{
    private const uint LocalHeader = 0x04034b50;
    private const uint CentralHeader = 0x02014b50;

    /// <summary>
    /// An archive holding <paramref name="files"/> and an entry <paramref name="bombName"/> of
    /// <paramref name="zeros"/> zero bytes, deflated as it is written (never held in memory: 2 GiB become about 2 MB).
    /// </summary>
    public static byte[] Build(IEnumerable<KeyValuePair<string, byte[]>> files, string bombName, long zeros)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(bytes);
            }

            using var bomb = zip.CreateEntry(bombName, CompressionLevel.Optimal).Open();
            var chunk = new byte[1 << 20];
            for (var written = 0L; written < zeros; written += chunk.Length)
            {
                bomb.Write(chunk, 0, (int)Math.Min(chunk.Length, zeros - written));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Rewrites the uncompressed size recorded for <paramref name="name"/> in its local and central headers, so
    /// the archive claims a size its data does not have.
    /// </summary>
    public static byte[] Declare(byte[] archive, string name, uint size)
    {
        var patched = archive.ToArray();
        var target = Encoding.UTF8.GetBytes(name);
        var found = 0;
        for (var i = 0; i + 46 <= patched.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan(i));
            var (sizeOffset, nameLengthOffset, nameOffset) = signature switch
            {
                LocalHeader => (22, 26, 30),
                CentralHeader => (24, 28, 46),
                _ => (0, 0, 0),
            };
            if (sizeOffset == 0)
            {
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(i + nameLengthOffset));
            if (i + nameOffset + nameLength <= patched.Length && patched.AsSpan(i + nameOffset, nameLength).SequenceEqual(target))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(i + sizeOffset), size);
                found++;
            }
        }

        return found == 2 ? patched : throw new InvalidOperationException($"expected a local and a central header for {name}, found {found}");
    }
}
