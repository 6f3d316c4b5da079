using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;

namespace LeadScoring.Application.Tests.Predictions;

/// <summary>Reads export files back with the libraries a consumer would use: Sep for CSV, Parquet.Net for Parquet.</summary>
internal static class ExportFiles
{
    /// <summary>The header and every row of a CSV file, fields unescaped (RFC 4180).</summary>
    public static (string[] Header, List<Dictionary<string, string>> Rows) ReadCsv(string path)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in header)
            {
                values[name] = row[name].ToString();
            }

            rows.Add(values);
        }

        return (header, rows);
    }

    /// <summary>A Parquet file's fields, row-group count and every column's values (nulls as null), by column name.</summary>
    public static async Task<(DataField[] Fields, int RowGroups, Dictionary<string, List<object?>> Columns)> ReadParquetAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var columns = fields.ToDictionary(f => f.Name, _ => new List<object?>(), StringComparer.Ordinal);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            foreach (var field in fields)
            {
                columns[field.Name].AddRange(await ReadAsync(group, field, n));
            }
        }

        return (fields, reader.RowGroupCount, columns);
    }

    private static async Task<IEnumerable<object?>> ReadAsync(ParquetRowGroupReader group, DataField field, int n)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[n];
            await group.ReadAsync(field, text.AsMemory());
            return text;
        }

        return type == typeof(int) ? await Values<int>(group, field, n)
            : type == typeof(long) ? await Values<long>(group, field, n)
            : type == typeof(double) ? await Values<double>(group, field, n)
            : type == typeof(bool) ? await Values<bool>(group, field, n)
            : type == typeof(DateTime) ? await Values<DateTime>(group, field, n)
            : throw new InvalidOperationException($"unexpected Parquet type {type} for {field.Name}");
    }

    private static async Task<IEnumerable<object?>> Values<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[n];
            await group.ReadAsync(field, nullable.AsMemory());
            return nullable.Select(v => v.HasValue ? (object?)v.Value : null);
        }

        var values = new T[n];
        await group.ReadAsync(field, values.AsMemory());
        return values.Select(v => (object?)v);
    }
}
