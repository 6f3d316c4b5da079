namespace LeadScoring.Storage.Retraining;

/// <summary>The model already has a run that is not terminal (a trigger fired while one is in progress); nothing was written.</summary>
public sealed class RetrainingConflictException : Exception
{
    public RetrainingConflictException()
        : base("the model already has a retraining run in progress")
    {
    }

    public RetrainingConflictException(string message)
        : base(message)
    {
    }

    public RetrainingConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The model's unfinished run, when known (null only if it ended before it could be read).</summary>
    public long? ActiveRunId { get; init; }
}

/// <summary>No retraining run has the id; nothing was written.</summary>
public sealed class RetrainingNotFoundException : Exception
{
    public RetrainingNotFoundException()
        : base("no such retraining run")
    {
    }

    public RetrainingNotFoundException(string message)
        : base(message)
    {
    }

    public RetrainingNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The id asked for.</summary>
    public long RunId { get; init; }
}

/// <summary>
/// The run's state refuses the change: it is terminal (it never changes again), or the caller named a worker that
/// does not hold the run's claim (it expired, another worker took it, or someone else moved the run on); nothing was written.
/// </summary>
public sealed class RetrainingStateException : Exception
{
    public RetrainingStateException()
        : base("the retraining run's state refuses the change")
    {
    }

    public RetrainingStateException(string message)
        : base(message)
    {
    }

    public RetrainingStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The run.</summary>
    public long RunId { get; init; }

    /// <summary>The run's status when the change was refused.</summary>
    public RetrainingStatus Status { get; init; }

    /// <summary>The status the change asked for.</summary>
    public RetrainingStatus Requested { get; init; }
}
