namespace LeadScoring.Storage.Deployments;

/// <summary>
/// A deployment change was refused by the deployments' state (a second active deployment of a model, an approval
/// of a deployment that is not active or not at a step that can be approved); nothing was changed.
/// </summary>
public sealed class DeploymentConflictException : Exception
{
    public DeploymentConflictException()
        : base("the deployment change conflicts with the deployments' state")
    {
    }

    public DeploymentConflictException(string message)
        : base(message)
    {
    }

    public DeploymentConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The deployment whose state refused the change (the model's active one, for a start), when known.</summary>
    public long? DeploymentId { get; init; }
}

/// <summary>No deployment has the id; nothing was changed.</summary>
public sealed class DeploymentNotFoundException : Exception
{
    public DeploymentNotFoundException()
        : base("no such deployment")
    {
    }

    public DeploymentNotFoundException(string message)
        : base(message)
    {
    }

    public DeploymentNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The id asked for.</summary>
    public long DeploymentId { get; init; }
}
