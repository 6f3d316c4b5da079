using LeadScoring.Modeling.Data;

namespace LeadScoring.Application.Predictions;

/// <summary>
/// Writes an export file page by page (a Parquet row group, or CSV rows, per page), so an export of millions of
/// predictions holds one page in memory. The format follows the extension: <c>.parquet</c>, else CSV.
/// </summary>
public abstract class ExportFileWriter : IAsyncDisposable
{
    protected ExportFileWriter(IReadOnlyList<ExportColumn> columns) => Columns = columns;

    /// <summary>The file's columns, in order.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>Creates (or overwrites) <paramref name="path"/>; the header is written now, so zero rows still make a valid file.</summary>
    public static async Task<ExportFileWriter> CreateAsync(string path, IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        return LeadFile.IsParquet(path)
            ? await ParquetExportWriter.OpenAsync(path, columns, cancellationToken).ConfigureAwait(false)
            : CsvExportWriter.Create(path, columns);
    }

    /// <summary>Appends <paramref name="count"/> rows given column by column (<see cref="ExportColumns.NewValues"/> arrays, in <see cref="Columns"/> order).</summary>
    public abstract Task WriteAsync(IReadOnlyList<Array> values, int count, CancellationToken cancellationToken = default);

    /// <summary>Flushes and closes the file.</summary>
    public abstract ValueTask DisposeAsync();

    protected void Check(IReadOnlyList<Array> values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Columns.Count)
        {
            throw new ArgumentException($"expected {Columns.Count} columns, got {values.Count}", nameof(values));
        }

        for (var c = 0; c < values.Count; c++)
        {
            if (values[c].Length < count)
            {
                throw new ArgumentException($"column '{Columns[c].Name}' holds {values[c].Length} values, fewer than {count}", nameof(values));
            }
        }
    }
}
