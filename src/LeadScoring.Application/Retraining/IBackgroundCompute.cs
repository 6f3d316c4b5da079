namespace LeadScoring.Application.Retraining;

/// <summary>
/// Where a run's CPU-bound work (search, training, scoring the fold) executes. The server gives it a low-priority
/// thread so scoring requests keep their latency; the CLI, which has nothing else to do, the thread pool.
/// </summary>
public interface IBackgroundCompute
{
    /// <summary>Runs <paramref name="work"/> off the caller's thread and returns its result.</summary>
    Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken);
}

/// <summary>The thread pool, at normal priority.</summary>
public sealed class ThreadPoolCompute : IBackgroundCompute
{
    /// <inheritdoc />
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) => Task.Run(work, cancellationToken);
}
