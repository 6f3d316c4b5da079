namespace LeadScoring.Server.Hosting;

/// <summary>
/// Wakes a background loop at once instead of at its next interval. A pulse while the loop is busy is remembered, so
/// its next wait returns at once (no lost wake-up).
/// </summary>
public abstract class WakeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _pulsed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks the loop to run now.</summary>
    public void Pulse()
    {
        lock (_lock)
        {
            _pulsed.TrySetResult();
        }
    }

    /// <summary>Waits for a pulse or <paramref name="timeout"/> on <paramref name="time"/>; true when pulsed.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task pulsed;
        lock (_lock)
        {
            pulsed = _pulsed.Task;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, stopDelay.Token);
        var first = await Task.WhenAny(pulsed, delay).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first != pulsed)
        {
            return false;
        }

        lock (_lock)
        {
            if (_pulsed.Task.IsCompleted)
            {
                _pulsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return true;
    }
}
