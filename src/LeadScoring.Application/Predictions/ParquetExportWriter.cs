using Parquet;
using Parquet.Schema;

namespace LeadScoring.Application.Predictions;

/// <summary>Parquet export: one row group per page; times as UTC timestamps in microseconds; missing values as nulls.</summary>
internal sealed class ParquetExportWriter : ExportFileWriter
{
    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;

    private ParquetExportWriter(IReadOnlyList<ExportColumn> columns, Stream stream, ParquetWriter writer, DataField[] fields)
        : base(columns)
    {
        _stream = stream;
        _writer = writer;
        _fields = fields;
    }

    public static async Task<ParquetExportWriter> OpenAsync(string path, IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        var fields = columns.Select(Field).ToArray();
        var stream = File.Create(path);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ParquetExportWriter(columns, stream, writer, fields);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task WriteAsync(IReadOnlyList<Array> values, int count, CancellationToken cancellationToken = default)
    {
        Check(values, count);
        if (count == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < Columns.Count; c++)
        {
            var field = _fields[c];
            var nullable = Columns[c].Nullable;
            switch (values[c])
            {
                case string?[] text:
                    await group.WriteAsync(field, new ArraySegment<string>(text!, 0, count)).ConfigureAwait(false);
                    break;
                case int?[] ints:
                    await WriteAsync(group, field, ints, count, nullable, cancellationToken).ConfigureAwait(false);
                    break;
                case long?[] longs:
                    await WriteAsync(group, field, longs, count, nullable, cancellationToken).ConfigureAwait(false);
                    break;
                case double?[] numbers:
                    await WriteAsync(group, field, numbers, count, nullable, cancellationToken).ConfigureAwait(false);
                    break;
                case bool?[] flags:
                    await WriteAsync(group, field, flags, count, nullable, cancellationToken).ConfigureAwait(false);
                    break;
                case DateTimeOffset?[] times:
                    var utc = new DateTime?[count];
                    for (var i = 0; i < count; i++)
                    {
                        utc[i] = times[i]?.UtcDateTime;
                    }

                    await WriteAsync(group, field, utc, count, nullable, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentException($"column '{Columns[c].Name}': unsupported array {values[c].GetType().Name}", nameof(values));
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static DataField Field(ExportColumn column) => column.Kind switch
    {
        ExportKind.Text => new DataField<string>(column.Name, column.Nullable),
        ExportKind.WholeNumber => column.Nullable ? new DataField<int?>(column.Name) : new DataField<int>(column.Name),
        ExportKind.LargeWholeNumber => column.Nullable ? new DataField<long?>(column.Name) : new DataField<long>(column.Name),
        ExportKind.Number => column.Nullable ? new DataField<double?>(column.Name) : new DataField<double>(column.Name),
        ExportKind.Boolean => column.Nullable ? new DataField<bool?>(column.Name) : new DataField<bool>(column.Name),
        ExportKind.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: column.Nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, null),
    };

    // A required column is written from a plain array: Parquet.Net checks that the values match the field's nullability.
    private static async Task WriteAsync<T>(ParquetRowGroupWriter group, DataField field, T?[] values, int count, bool nullable, CancellationToken cancellationToken)
        where T : struct
    {
        if (nullable)
        {
            await group.WriteAsync<T>(field, values.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var required = new T[count];
        for (var i = 0; i < count; i++)
        {
            required[i] = values[i] ?? throw new ArgumentException($"column '{field.Name}' is required but row {i} has no value", nameof(values));
        }

        await group.WriteAsync<T>(field, required.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
