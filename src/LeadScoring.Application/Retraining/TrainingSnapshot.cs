using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Data;

namespace LeadScoring.Application.Retraining;

/// <summary>Where a snapshot was written, its SHA-256 (lower-case hex) and its size.</summary>
/// <param name="Path">The Parquet file.</param>
/// <param name="Sha256">The SHA-256 of its bytes: what the run records and <see cref="TrainingSnapshot.Read"/> checks.</param>
/// <param name="Bytes">Its size in bytes.</param>
public sealed record SnapshotFile(string Path, string Sha256, long Bytes);

/// <summary>
/// A retraining run's training data frozen as Parquet (<see cref="LeadFile.Write"/>), with its hash kept by the run so
/// the run can be reproduced from exactly these rows. Ids, timestamps (to the tick), labels, revenue and every
/// feature value (missing included) read back as written.
/// </summary>
public static class TrainingSnapshot
{
    /// <summary>
    /// Writes <paramref name="table"/> to <c>&lt;directory&gt;/&lt;name&gt;.parquet</c> (the extension added unless
    /// <paramref name="name"/> has it) and returns its path, hash and size. The file appears whole or not at all
    /// (written beside and moved into place); an existing snapshot is never overwritten (<see cref="IOException"/>).
    /// The table must carry ids, timestamps and labels under columns its schema names (<see cref="RetrainingDataset.TableSchema"/>).
    /// </summary>
    public static SnapshotFile Write(LeadTable table, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"snapshot name '{name}' must be a plain file name", nameof(name));
        }

        if (table.Ids is null || table.Timestamps is null || table.Labels is null || table.Schema.Id is null || table.Schema.Timestamp is null)
        {
            throw new ArgumentException(
                "a training snapshot needs the table's lead ids, timestamps and labels under columns its schema names (see RetrainingDataset.TableSchema); without them the run could not be reproduced",
                nameof(table));
        }

        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, LeadFile.IsParquet(name) ? name : name + ".parquet");
        if (File.Exists(path))
        {
            throw new IOException($"the snapshot {path} already exists; a snapshot is never overwritten (use a new name)");
        }

        // The writer picks Parquet by the extension, so the partial file keeps it.
        var partial = path[..^".parquet".Length] + ".partial.parquet";
        try
        {
            LeadFile.Write(partial, table);
            File.Move(partial, path, overwrite: false);
        }
        finally
        {
            File.Delete(partial);
        }

        return new SnapshotFile(path, LeadFile.Sha256(path), new FileInfo(path).Length);
    }

    /// <summary>
    /// Reads a snapshot back with <paramref name="schema"/> (the written table's schema), refusing with
    /// <see cref="InvalidDataException"/> a file whose SHA-256 is not <paramref name="expectedSha256"/>: a changed
    /// snapshot would reproduce a different model.
    /// </summary>
    public static LeadTable Read(string path, LeadSchema schema, string expectedSha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedSha256);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the training snapshot {path} is missing", path);
        }

        Verify(path, expectedSha256);
        var table = LeadFile.Read(path, schema, LabelUse.Required);
        // Checked again after reading, so a file swapped while it was read is refused too.
        Verify(path, expectedSha256);
        return table;
    }

    private static void Verify(string path, string expectedSha256)
    {
        var actual = LeadFile.Sha256(path);
        if (!string.Equals(actual, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"the training snapshot {path} has SHA-256 {actual}, but the run recorded {expectedSha256.Trim()}: the file changed since it was written, so it would not reproduce the run; refusing to read it");
        }
    }
}
