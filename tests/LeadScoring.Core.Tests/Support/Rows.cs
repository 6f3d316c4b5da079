using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Tests.Support;

/// <summary>Builds tables from literal rows, the way file readers do.</summary>
internal static class Rows
{
    public static LeadTable Table(LeadSchema schema, string[] header, IEnumerable<string[]> rows, LabelUse labelUse = LabelUse.Required)
    {
        var builder = new LeadTableBuilder(schema, header, labelUse);
        var number = 0;
        foreach (var row in rows)
        {
            builder.Add(new Fields(row), ++number);
        }

        return builder.Build();
    }

    private readonly struct Fields(string[] values) : IRawFields
    {
        public ReadOnlySpan<char> this[int column] => values[column];
    }
}
