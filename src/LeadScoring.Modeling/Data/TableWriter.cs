using System.Globalization;
using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;

namespace LeadScoring.Modeling.Data;

/// <summary>The type of an output column.</summary>
public enum ColumnKind
{
    /// <summary>Text; null is written as an empty field (CSV) or a null (Parquet).</summary>
    Text,

    /// <summary>A double; NaN is written as empty (CSV) or null (Parquet).</summary>
    Number,

    /// <summary>A boolean, written as true/false.</summary>
    Boolean,

    /// <summary>A UTC timestamp, written as ISO 8601 (CSV) or a Parquet timestamp.</summary>
    Timestamp,
}

/// <summary>An output column: its header and type.</summary>
public sealed record OutputColumn(string Name, ColumnKind Kind);

/// <summary>
/// Writes rows to CSV (comma, RFC 4180 quoting) or Parquet (by the .parquet extension) in chunks, so large
/// outputs stream. Each chunk is one array per column: string?[], double[], bool[] or DateTimeOffset[].
/// </summary>
public sealed class TableWriter : IDisposable
{
    private readonly IReadOnlyList<OutputColumn> _columns;
    private readonly SepWriter? _csv;
    private readonly ParquetWriter? _parquet;
    private readonly Stream? _parquetStream;
    private readonly ParquetSchema? _parquetSchema;

    private TableWriter(IReadOnlyList<OutputColumn> columns, SepWriter? csv, Stream? parquetStream, ParquetWriter? parquet, ParquetSchema? parquetSchema)
    {
        _columns = columns;
        _csv = csv;
        _parquetStream = parquetStream;
        _parquet = parquet;
        _parquetSchema = parquetSchema;
    }

    /// <summary>Creates (or overwrites) <paramref name="path"/> with the given columns.</summary>
    public static TableWriter Create(string path, IReadOnlyList<OutputColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        if (!LeadFile.IsParquet(path))
        {
            var csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).ToFile(path);
            // Written now rather than with the first row, so an output of zero rows still has its columns.
            csv.Header.Add([.. columns.Select(c => c.Name)]);
            csv.Header.Write();
            return new TableWriter(columns, csv, null, null, null);
        }

        var schema = new ParquetSchema(columns.Select(c => c.Kind switch
        {
            ColumnKind.Text => new DataField<string>(c.Name, true),
            ColumnKind.Number => new DataField<double?>(c.Name),
            ColumnKind.Boolean => new DataField<bool>(c.Name),
            _ => (Field)new DataField<DateTime>(c.Name),
        }));
        var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
        return new TableWriter(columns, null, stream, writer, schema);
    }

    /// <summary>Appends <paramref name="count"/> rows given column by column.</summary>
    public void Write(IReadOnlyList<Array> values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _columns.Count)
        {
            throw new ArgumentException($"expected {_columns.Count} columns, got {values.Count}", nameof(values));
        }

        if (_csv is not null)
        {
            WriteCsv(values, count);
        }
        else
        {
            WriteParquet(values, count).GetAwaiter().GetResult();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _csv?.Dispose();
        _parquet?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _parquetStream?.Dispose();
    }

    private void WriteCsv(IReadOnlyList<Array> values, int count)
    {
        for (var r = 0; r < count; r++)
        {
            using var row = _csv!.NewRow();
            for (var c = 0; c < _columns.Count; c++)
            {
                var col = row[_columns[c].Name];
                switch (values[c])
                {
                    case string?[] text:
                        col.Set(text[r] ?? "");
                        break;
                    case double[] numbers:
                        if (double.IsNaN(numbers[r]))
                        {
                            col.Set("");
                        }
                        else
                        {
                            col.Format(numbers[r]);
                        }

                        break;
                    case bool[] flags:
                        col.Set(flags[r] ? "true" : "false");
                        break;
                    case DateTimeOffset[] times:
                        col.Set(times[r].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new ArgumentException($"column '{_columns[c].Name}': unsupported array type {values[c].GetType().Name}", nameof(values));
                }
            }
        }
    }

    private async Task WriteParquet(IReadOnlyList<Array> values, int count)
    {
        var fields = _parquetSchema!.GetDataFields();
        using var group = _parquet!.CreateRowGroup();
        for (var c = 0; c < _columns.Count; c++)
        {
            switch (values[c])
            {
                case string?[] text:
                    await group.WriteAsync(fields[c], text.Take(count).ToArray()).ConfigureAwait(false);
                    break;
                case double[] numbers:
                    var nullable = new double?[count];
                    for (var i = 0; i < count; i++)
                    {
                        nullable[i] = double.IsNaN(numbers[i]) ? null : numbers[i];
                    }

                    await group.WriteAsync<double>(fields[c], nullable.AsMemory()).ConfigureAwait(false);
                    break;
                case bool[] flags:
                    await group.WriteAsync<bool>(fields[c], flags.AsMemory(0, count)).ConfigureAwait(false);
                    break;
                case DateTimeOffset[] times:
                    await group.WriteAsync<DateTime>(fields[c], times.Take(count).Select(t => t.UtcDateTime).ToArray().AsMemory()).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentException($"column '{_columns[c].Name}': unsupported array type {values[c].GetType().Name}", nameof(values));
            }
        }
    }
}
