using System.Globalization;

namespace LeadScoring.Storage.Outcomes;

/// <summary>
/// An outcome the store refuses (nothing of its batch is written). <see cref="Index"/> and <see cref="Field"/> say
/// which item and which field, so an endpoint or an import can point at the request item or file row.
/// </summary>
public sealed class InvalidOutcomeException : ArgumentException
{
    public InvalidOutcomeException(int index, string field, string problem)
        : base(string.Create(CultureInfo.InvariantCulture, $"outcomes[{index}].{field} {problem}"))
    {
        Index = index;
        Field = field;
        Problem = problem;
    }

    public InvalidOutcomeException()
        : this("the outcome is invalid")
    {
    }

    public InvalidOutcomeException(string message)
        : base(message)
    {
        Field = "";
        Problem = message;
    }

    public InvalidOutcomeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
        Problem = message;
    }

    /// <summary>The item's position in the batch (0-based).</summary>
    public int Index { get; }

    /// <summary>The field as the API names it: lead_id, revenue.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the item: "must not be negative".</summary>
    public string Problem { get; }
}
