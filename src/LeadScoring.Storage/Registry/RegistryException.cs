namespace LeadScoring.Storage.Registry;

/// <summary>Why a registry call could not be carried out.</summary>
public enum RegistryErrorKind
{
    /// <summary>The model, version or alias does not exist.</summary>
    NotFound,

    /// <summary>The request conflicts with the registry's state (e.g. nothing to roll back to).</summary>
    Conflict,

    /// <summary>The request itself is malformed (bad name, bad alias).</summary>
    Invalid,
}

/// <summary>A registry call was refused; nothing was changed.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorKind kind, string message)
        : base(message) => Kind = kind;

    public RegistryException(RegistryErrorKind kind, string message, Exception innerException)
        : base(message, innerException) => Kind = kind;

    public RegistryException()
        : base("registry error")
    {
    }

    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why it was refused.</summary>
    public RegistryErrorKind Kind { get; }
}
