using System.Globalization;
using nietras.SeparatedValues;

namespace LeadScoring.Application.Predictions;

/// <summary>
/// CSV export: comma-separated, RFC 4180 quoting (a field holding a comma, quote or line break is quoted, quotes
/// doubled), invariant culture, numbers in their shortest round-trip form, booleans true/false, times as
/// ISO-8601 UTC to the microsecond, missing values as empty fields.
/// </summary>
internal sealed class CsvExportWriter : ExportFileWriter
{
    private readonly SepWriter _csv;

    private CsvExportWriter(IReadOnlyList<ExportColumn> columns, SepWriter csv)
        : base(columns) => _csv = csv;

    public static CsvExportWriter Create(string path, IReadOnlyList<ExportColumn> columns)
    {
        var csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).ToFile(path);
        try
        {
            csv.Header.Add([.. columns.Select(c => c.Name)]);
            csv.Header.Write();
            return new CsvExportWriter(columns, csv);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    public override async Task WriteAsync(IReadOnlyList<Array> values, int count, CancellationToken cancellationToken = default)
    {
        Check(values, count);
        for (var r = 0; r < count; r++)
        {
            await using var row = _csv.NewRow(cancellationToken);
            for (var c = 0; c < Columns.Count; c++)
            {
                row[c].Set(Format(values[c], r));
            }
        }
    }

    public override ValueTask DisposeAsync() => _csv.DisposeAsync();

    /// <summary>One value as CSV text ("" when missing).</summary>
    internal static string Format(Array values, int row) => values switch
    {
        string?[] text => text[row] ?? "",
        int?[] ints => ints[row]?.ToString(CultureInfo.InvariantCulture) ?? "",
        long?[] longs => longs[row]?.ToString(CultureInfo.InvariantCulture) ?? "",
        double?[] numbers => numbers[row]?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        bool?[] flags => flags[row] switch { true => "true", false => "false", null => "" },
        DateTimeOffset?[] times => times[row]?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) ?? "",
        _ => throw new ArgumentException($"unsupported column array {values.GetType().Name}", nameof(values)),
    };
}
