using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using LeadScoring.Application.Retraining;

namespace LeadScoring.Server.Retraining;

/// <summary>
/// Runs a retraining step on a thread of its own at a lower scheduling priority (Linux nice +10), so the scoring
/// service's request threads win the cores whenever both want them. On Linux a nice value belongs to a thread and
/// is inherited by the threads it starts, so native training threads started from here are lowered too. Elsewhere
/// the thread runs at normal priority.
/// </summary>
public sealed class LowPriorityCompute : IBackgroundCompute
{
    /// <summary>The nice value the thread takes (0 is normal, 19 the lowest).</summary>
    public const int Niceness = 10;

    /// <summary>Whether the last thread started got its lower priority (for the log and the tests).</summary>
    public bool? Lowered { get; private set; }

    /// <inheritdoc />
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            Lowered = Lower();
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                result = work();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "retraining",
        };
        thread.Start();

        // The task completes from a thread at normal priority, never from the lowered one: completing it there would
        // queue the caller's continuation from a lowered thread, and a thread-pool worker started by a lowered thread
        // inherits its nice value and would go on to serve requests at it.
        return Task.Factory.StartNew(
            () =>
            {
                thread.Join();
                error?.Throw();
                return result;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private static bool Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // which 0 = PRIO_PROCESS; who 0 = the calling thread (Linux applies it per thread).
        return SetPriority(0, 0, Niceness) == 0;
    }

    [DllImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);
}
