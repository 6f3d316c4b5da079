namespace LeadScoring.Core.Data;

/// <summary>Data does not match its schema. The message names the column and, where there is one, the row.</summary>
public sealed class LeadDataException : Exception
{
    /// <summary>Creates the exception with a message naming the column and row.</summary>
    public LeadDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LeadDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public LeadDataException()
        : base("the data does not match its schema")
    {
    }
}
