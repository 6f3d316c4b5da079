namespace LeadScoring.Modeling.Packaging;

/// <summary>A model package is missing, corrupt, truncated or inconsistent. The message says which file and why.</summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException(string message)
        : base(message)
    {
    }

    public ModelPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelPackageException()
        : base("the model package is not valid")
    {
    }
}
