using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using Parquet;
using Parquet.Schema;

namespace LeadScoring.Modeling.Data;

/// <summary>
/// Reads lead Parquet files one row group at a time. Typed columns are rendered to invariant text and go
/// through the same schema checks as CSV, so both formats accept and reject exactly the same values.
/// </summary>
internal static class ParquetLeadReader
{
    public static IEnumerable<LeadTable> ReadChunks(string path, LeadSchema schema, LabelUse labelUse)
    {
        var reader = Open(path);
        try
        {
            foreach (var table in ReadGroups(reader, schema, labelUse))
            {
                yield return table;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Streams the text (as <see cref="ReadChunks"/> renders it) of the columns at the positions
    /// <paramref name="columns"/> picks from the header (-1: none, the value is null), one array per row; only those
    /// columns are read.
    /// </summary>
    public static IEnumerable<string?[]> ReadFields(string path, Func<IReadOnlyList<string>, int[]> columns)
    {
        var reader = Open(path);
        try
        {
            var fields = reader.Schema.GetDataFields();
            var positions = columns(fields.Select(f => f.Name).ToList());
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var group = reader.OpenRowGroupReader(g);
                var text = positions.Select(p => p < 0 ? null : ReadAsText(group, fields[p]).GetAwaiter().GetResult()).ToArray();
                for (var r = 0; r < (int)group.RowCount; r++)
                {
                    var values = new string?[positions.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = text[i]?[r];
                    }

                    yield return values;
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<LeadTable> ReadGroups(ParquetReader reader, LeadSchema schema, LabelUse labelUse)
    {
        var fields = reader.Schema.GetDataFields();
        var header = fields.Select(f => f.Name).ToList();
        long rowNumber = 0;
        var yielded = false;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var builder = new LeadTableBuilder(schema, header, labelUse);
            var columns = new string?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = ReadAsText(group, fields[c]).GetAwaiter().GetResult();
            }

            var rows = (int)group.RowCount;
            for (var r = 0; r < rows; r++)
            {
                rowNumber++;
                builder.Add(new ColumnFields(columns, r), rowNumber);
            }

            yielded = true;
            yield return builder.Build();
        }

        if (!yielded)
        {
            yield return new LeadTableBuilder(schema, header, labelUse).Build();
        }
    }

    private static ParquetReader Open(string path)
    {
        try
        {
            return ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (FileNotFoundException e)
        {
            throw new LeadDataException($"{path}: file not found", e);
        }
        catch (IOException e)
        {
            throw new LeadDataException($"{path}: not a readable Parquet file ({e.Message})", e);
        }
    }

    private static async Task<string?[]> ReadAsText(ParquetRowGroupReader group, DataField field)
    {
        var n = (int)group.RowCount;
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[n];
            await group.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
            return values;
        }

        if (type == typeof(double))
        {
            return await Typed<double>(group, field, n, v => v.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (type == typeof(float))
        {
            return await Typed<float>(group, field, n, v => v.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (type == typeof(int))
        {
            return await Typed<int>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (type == typeof(long))
        {
            return await Typed<long>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (type == typeof(bool))
        {
            return await Typed<bool>(group, field, n, v => v ? "true" : "false").ConfigureAwait(false);
        }

        if (type == typeof(decimal))
        {
            return await Typed<decimal>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (type == typeof(DateTime))
        {
            // A Parquet timestamp is an instant in UTC (what TableWriter writes, and what the CSV path assumes for a
            // time without an offset); say so in the text, so readers that insist on an offset accept it.
            return await Typed<DateTime>(group, field, n, v => (v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        throw new LeadDataException($"column '{field.Name}': Parquet type {type.Name} is not supported (use string, number, boolean or timestamp)");
    }

    private static async Task<string?[]> Typed<T>(ParquetRowGroupReader group, DataField field, int n, Func<T, string> format)
        where T : struct
    {
        var values = new T?[n];
        await group.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
        var text = new string?[n];
        for (var i = 0; i < n; i++)
        {
            text[i] = values[i] is { } v ? format(v) : null;
        }

        return text;
    }

    private readonly struct ColumnFields(string?[][] columns, int row) : IRawFields
    {
        public ReadOnlySpan<char> this[int column] => columns[column][row];
    }
}
