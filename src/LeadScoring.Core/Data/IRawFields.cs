namespace LeadScoring.Core.Data;

/// <summary>
/// One row of raw text fields from a file, by column position. File readers implement it (often as a
/// <c>ref struct</c> over their own row type) so parsing needs no string per field.
/// </summary>
public interface IRawFields
{
    /// <summary>The raw text of the field at <paramref name="column"/> (a position in the header).</summary>
    ReadOnlySpan<char> this[int column] { get; }
}
