using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using nietras.SeparatedValues;

namespace LeadScoring.Modeling.Data;

/// <summary>Reads lead CSV files (RFC 4180, quoted fields, CRLF or LF) with Sep, in chunks of rows.</summary>
internal static class CsvLeadReader
{
    public static IEnumerable<LeadTable> ReadChunks(string path, LeadSchema schema, LabelUse labelUse, int chunkSize)
    {
        using var reader = Open(path, schema.Delimiter);
        var header = reader.Header.ColNames;
        if (header.Count == 0)
        {
            throw new LeadDataException($"{Path.GetFileName(path)}: the file is empty (no header line)");
        }

        var builder = new LeadTableBuilder(schema, header, labelUse);
        long rowNumber = 0;
        var yielded = false;
        while (reader.MoveNext())
        {
            rowNumber++;
            AddCurrent(reader, builder, header.Count, rowNumber);
            if (builder.Count == chunkSize)
            {
                yield return builder.Build();
                yielded = true;
                builder = new LeadTableBuilder(schema, header, labelUse);
            }
        }

        if (builder.Count > 0 || !yielded)
        {
            yield return builder.Build();
        }
    }

    /// <summary>
    /// Streams the text of the columns at the positions <paramref name="columns"/> picks from the header (-1: none,
    /// the value is null), one array per data row; the row count check is the one <see cref="ReadChunks"/> makes.
    /// </summary>
    public static IEnumerable<string?[]> ReadFields(string path, char? delimiter, Func<IReadOnlyList<string>, int[]> columns)
    {
        using var reader = Open(path, delimiter);
        var header = reader.Header.ColNames;
        if (header.Count == 0)
        {
            throw new LeadDataException($"{Path.GetFileName(path)}: the file is empty (no header line)");
        }

        var positions = columns(header);
        long rowNumber = 0;
        while (reader.MoveNext())
        {
            rowNumber++;
            yield return Fields(reader, header.Count, positions, rowNumber);
        }
    }

    private static string?[] Fields(SepReader reader, int columns, int[] positions, long rowNumber)
    {
        var row = reader.Current;
        if (row.ColCount != columns)
        {
            throw new LeadDataException($"row {rowNumber}: has {row.ColCount} fields but the header has {columns} (check the delimiter and quoting)");
        }

        var values = new string?[positions.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            values[i] = positions[i] < 0 ? null : row[positions[i]].ToString();
        }

        return values;
    }

    private static SepReader Open(string path, char? delimiter)
    {
        try
        {
            return Sep.Reader(o => o with
            {
                Sep = delimiter is { } d ? new Sep(d) : null,
                Unescape = true,
                HasHeader = true,
                // Column counts are checked here, to report them in the product's words.
                DisableColCountCheck = true,
            }).FromFile(path);
        }
        catch (FileNotFoundException e)
        {
            throw new LeadDataException($"{path}: file not found", e);
        }
    }

    private static void AddCurrent(SepReader reader, LeadTableBuilder builder, int columns, long rowNumber)
    {
        var row = reader.Current;
        if (row.ColCount != columns)
        {
            throw new LeadDataException($"row {rowNumber}: has {row.ColCount} fields but the header has {columns} (check the delimiter and quoting)");
        }

        builder.Add(new SepFields(row), rowNumber);
    }

    private readonly ref struct SepFields(SepReader.Row row) : IRawFields
    {
        private readonly SepReader.Row _row = row;

        public ReadOnlySpan<char> this[int column] => _row[column].Span;
    }
}
