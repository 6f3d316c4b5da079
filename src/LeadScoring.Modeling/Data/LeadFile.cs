using System.Security.Cryptography;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;

namespace LeadScoring.Modeling.Data;

/// <summary>Reads lead files (CSV, or Parquet by the .parquet extension) described by a schema.</summary>
public static class LeadFile
{
    /// <summary>Rows per chunk when streaming a CSV file.</summary>
    public const int DefaultChunkSize = 16_384;

    /// <summary>True when <paramref name="path"/> names a Parquet file.</summary>
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a whole file into one table. Throws <see cref="LeadDataException"/> naming column and row on bad data.</summary>
    public static LeadTable Read(string path, LeadSchema schema, LabelUse labelUse)
    {
        var chunks = ReadChunks(path, schema, labelUse, int.MaxValue).ToList();
        return chunks.Count == 1 ? chunks[0] : Concat(schema, chunks);
    }

    /// <summary>Streams a file as tables of at most <paramref name="chunkSize"/> rows (Parquet: one per row group).</summary>
    public static IEnumerable<LeadTable> ReadChunks(string path, LeadSchema schema, LabelUse labelUse, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        if (!File.Exists(path))
        {
            throw new LeadDataException($"{path}: file not found");
        }

        return IsParquet(path)
            ? ParquetLeadReader.ReadChunks(path, schema, labelUse)
            : CsvLeadReader.ReadChunks(path, schema, labelUse, chunkSize);
    }

    /// <summary>
    /// Streams chosen columns of a lead file (CSV, or Parquet by extension) as text, one array per data row (row 1
    /// first), without the schema's feature checks: for files that hold other things about leads, like a CRM's
    /// outcomes. <paramref name="columns"/> gets the header and returns, for each value wanted, its column's
    /// position (-1 for none: the value is null); it may throw to refuse the header. Values are the raw text (CSV:
    /// unquoted; Parquet: typed values rendered as <see cref="ReadChunks"/> renders them); a missing value is null
    /// in Parquet and empty in CSV. A CSV row with the wrong number of fields is a <see cref="LeadDataException"/>.
    /// </summary>
    public static IEnumerable<string?[]> ReadFields(string path, char? delimiter, Func<IReadOnlyList<string>, int[]> columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        if (!File.Exists(path))
        {
            throw new LeadDataException($"{path}: file not found");
        }

        return IsParquet(path) ? ParquetLeadReader.ReadFields(path, columns) : CsvLeadReader.ReadFields(path, delimiter, columns);
    }

    /// <summary>
    /// Writes a table in its schema's layout: id, timestamp, features, any <paramref name="extra"/> columns, label
    /// (first positive / negative value), revenue. Missing values are written empty; booleans as yes/no.
    /// </summary>
    public static void Write(string path, LeadTable table, IReadOnlyList<(OutputColumn Column, Array Values)>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Schema;
        var columns = new List<OutputColumn>();
        var values = new List<Array>();
        void Add(string name, ColumnKind kind, Array data)
        {
            columns.Add(new OutputColumn(name, kind));
            values.Add(data);
        }

        if (schema.Id is not null && table.Ids is not null)
        {
            Add(schema.Id, ColumnKind.Text, table.Ids);
        }

        if (schema.Timestamp is not null && table.Timestamps is not null)
        {
            Add(schema.Timestamp, ColumnKind.Timestamp, table.Timestamps);
        }

        foreach (var column in table.Columns)
        {
            switch (column)
            {
                case NumericColumn n when n.Spec.Type == FeatureType.Boolean:
                    Add(n.Spec.Name, ColumnKind.Text, n.Values.Select(v => double.IsNaN(v) ? null : v == 1 ? "yes" : "no").ToArray());
                    break;
                case NumericColumn n:
                    Add(n.Spec.Name, ColumnKind.Number, n.Values);
                    break;
                case CategoricalColumn c:
                    Add(c.Spec.Name, ColumnKind.Text, c.Values);
                    break;
            }
        }

        foreach (var (column, data) in extra ?? [])
        {
            Add(column.Name, column.Kind, data);
        }

        if (table.Labels is not null)
        {
            var positive = schema.Positive[0];
            var negative = schema.Negative is { Count: > 0 } neg ? neg[0] : "0";
            Add(schema.Label, ColumnKind.Text, table.Labels.Select(l => l ? positive : negative).ToArray());
        }

        if (schema.Revenue is not null && table.Revenue is not null)
        {
            Add(schema.Revenue, ColumnKind.Number, table.Revenue);
        }

        using var writer = TableWriter.Create(path, columns);
        writer.Write(values, table.Count);
    }

    /// <summary>The SHA-256 of a file's bytes, lower-case hex: the data snapshot hash recorded in model lineage.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static LeadTable Concat(LeadSchema schema, List<LeadTable> chunks)
    {
        var columns = new List<FeatureColumn>();
        for (var c = 0; c < schema.Features.Count; c++)
        {
            var spec = schema.Features[c];
            columns.Add(chunks[0].Columns[c] is NumericColumn
                ? new NumericColumn(spec, [.. chunks.SelectMany(t => ((NumericColumn)t.Columns[c]).Values)])
                : new CategoricalColumn(spec, [.. chunks.SelectMany(t => ((CategoricalColumn)t.Columns[c]).Values)]));
        }

        T[]? Join<T>(Func<LeadTable, T[]?> part) => chunks[0] is var first && part(first) is null ? null : [.. chunks.SelectMany(t => part(t)!)];
        return new LeadTable(schema, columns, Join(t => t.Ids), Join(t => t.Timestamps), Join(t => t.Labels), Join(t => t.Revenue));
    }
}
