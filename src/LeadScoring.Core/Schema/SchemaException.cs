namespace LeadScoring.Core.Schema;

/// <summary>A schema file, or data that should match a schema, is not valid. The message says where and why.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception with a message that names the offending key, column or row.</summary>
    public SchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SchemaException()
        : base("the schema is not valid")
    {
    }
}
