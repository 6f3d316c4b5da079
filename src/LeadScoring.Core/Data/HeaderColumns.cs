using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Data;

/// <summary>
/// Where each column of a file's header is (names trimmed, a UTF-8 byte-order mark dropped, the first of repeated
/// names kept), and the error for a column a schema names but the file lacks, with a did-you-mean. Shared by every
/// reader that maps a schema onto a file (training and scoring tables, CRM outcome exports).
/// </summary>
public sealed class HeaderColumns
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="header"/>, the file's column names in order.</summary>
    public HeaderColumns(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        for (var i = 0; i < header.Count; i++)
        {
            _positions.TryAdd(header[i].Trim().TrimStart('\uFEFF'), i);
        }
    }

    /// <summary>The column's position, or -1 when the header lacks it.</summary>
    public int IndexOf(string column) => _positions.TryGetValue(column, out var index) ? index : -1;

    /// <summary>
    /// The position of <paramref name="column"/>, which plays <paramref name="role"/> in <paramref name="schema"/>;
    /// a <see cref="LeadDataException"/> naming both (prefixed by <paramref name="source"/>, e.g. the file name) when the
    /// header lacks it.
    /// </summary>
    public int Require(string column, string role, LeadSchema schema, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (_positions.TryGetValue(column, out var index))
        {
            return index;
        }

        var hint = NameSuggestions.Closest(column, _positions.Keys);
        throw new LeadDataException(
            $"{(source is null ? "" : source + ": ")}column '{column}' ({role} in schema '{schema.Name}') is not in the file's header{(hint is null ? "" : $" (did you mean '{hint}'?)")}");
    }
}
