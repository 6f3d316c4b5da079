using System.Collections.Concurrent;
using System.Diagnostics;
using LeadScoring.Server.Deployments;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>
/// Works through the alert outbox: claims the due deliveries (leased, so two replicas never send one at once), sends
/// each on its own task (a slow or dead channel delays only its own deliveries), and records every attempt: Sent, or
/// Pending again after an exponential backoff, or Failed after <see cref="AlertDeliveryOptions.MaxAttempts"/>. A
/// delivery to a channel that is not configured fails at once. Between passes it waits
/// <see cref="AlertDeliveryOptions.PollInterval"/> on the host's clock, or less when <see cref="AlertDeliverySignal"/>
/// is pulsed. It never stops on an error: it logs it and tries again at the next pass.
/// </summary>
public sealed partial class AlertDeliveryWorker(
    AlertStore store,
    AlertChannelRegistry channels,
    AlertDeliverySignal signal,
    ReplicaIdentity replica,
    IOptions<AlertDeliveryOptions> options,
    TimeProvider time,
    ILogger<AlertDeliveryWorker> logger) : BackgroundService
{
    private const int MaxBatchesInFlight = 4;

    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private long _passes;

    /// <summary>The worker's name in the store's claims.</summary>
    public string WorkerId => replica.Id;

    /// <summary>Passes the loop has finished (for tests that wait on the loop).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>One pass, awaited to the end: claims the due deliveries and sends them all concurrently.</summary>
    public async Task<DeliveryPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sends = await ClaimAndSendAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = await Task.WhenAll(sends).ConfigureAwait(false);
        return DeliveryPass.Of(outcomes);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                try
                {
                    var sends = await ClaimAndSendAsync(stoppingToken).ConfigureAwait(false);
                    claimed = sends.Count;
                    // The sends go on while the loop waits: the next pass does not wait for a slow channel.
                    foreach (var send in sends)
                    {
                        _inFlight[send] = true;
                        _ = send.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogPassFailed(logger, e);
                }

                Interlocked.Increment(ref _passes);
                // A full batch means more may be due: claim again at once (what is being sent stays leased), unless
                // enough sends are already in flight (a backlog behind dead channels must not open thousands at once).
                if (claimed < settings.BatchSize || _inFlight.Count >= settings.BatchSize * MaxBatchesInFlight)
                {
                    await signal.WaitAsync(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Sends cancelled by the stop are not recorded: their lease ends and they are sent again after a restart.
            await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<Task<DeliveryResult>>> ClaimAndSendAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var due = await store.ClaimDueDeliveriesAsync(WorkerId, time.GetUtcNow(), settings.Lease, settings.BatchSize, cancellationToken).ConfigureAwait(false);
        return [.. due.Select(d => Task.Run(() => DeliverAsync(d, cancellationToken), CancellationToken.None))];
    }

    private async Task<DeliveryResult> DeliverAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempt = delivery.Attempts + 1;
        var at = time.GetUtcNow();
        // The duration is the receiver's real time, not the host's clock (a fake one in tests would say 0).
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        var retry = true;
        try
        {
            if (channels.Find(delivery.Channel) is not { } channel)
            {
                error = $"channel '{delivery.Channel}' is not configured (see {AlertChannelOptions.SectionName}); configured: {(channels.Configured.Count == 0 ? "none" : string.Join(", ", channels.Configured))}";
                retry = false;
            }
            else
            {
                await channel.SendAsync(delivery, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Cancelled;
        }
        catch (AlertChannelException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a channel's own error (a bug, a library surprise): its type only, its message may quote what was sent.
            error = $"{delivery.Channel} failed unexpectedly: {e.GetType().FullName}";
        }

        var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var succeeded = error is null;
        DateTimeOffset? retryAt = !succeeded && retry && attempt < settings.MaxAttempts
            ? time.GetUtcNow() + DeliveryBackoff.Delay(delivery.Id, attempt, settings.BackoffBase, settings.BackoffMax)
            : null;
        try
        {
            var recorded = await store.RecordAttemptAsync(delivery.Id, WorkerId, new DeliveryOutcome(succeeded, at, duration, error, retryAt), CancellationToken.None).ConfigureAwait(false);
            if (!recorded)
            {
                LogClaimLost(logger, delivery.Id, delivery.Channel);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease ends and the delivery is tried again: a message may be sent twice, never lost.
            LogRecordFailed(logger, e, delivery.Id, delivery.Channel);
        }

        if (succeeded)
        {
            LogSent(logger, delivery.Id, delivery.Channel, delivery.Event, delivery.Rule, delivery.Subject);
            return DeliveryResult.Sent;
        }

        if (retryAt is { } next)
        {
            LogRetrying(logger, delivery.Id, delivery.Channel, attempt, error!, next);
            return DeliveryResult.Retrying;
        }

        LogFailed(logger, delivery.Id, delivery.Channel, attempt, error!);
        return DeliveryResult.Failed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the alert delivery pass failed; trying again at the next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "alert delivery {Id} sent to {Channel}: {Event} of {Rule} on {Subject}")]
    private static partial void LogSent(ILogger logger, long id, string channel, AlertEvent @event, string rule, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert delivery {Id} to {Channel} failed (attempt {Attempt}): {Error}; trying again at {RetryAt:O}")]
    private static partial void LogRetrying(ILogger logger, long id, string channel, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "alert delivery {Id} to {Channel} failed for good after attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, long id, string channel, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert delivery {Id} to {Channel}: the claim was lost before the attempt was recorded (another worker has it)")]
    private static partial void LogClaimLost(ILogger logger, long id, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not record the attempt of alert delivery {Id} to {Channel}; it is tried again when its lease ends")]
    private static partial void LogRecordFailed(ILogger logger, Exception error, long id, string channel);
}

/// <summary>How one delivery of a pass went.</summary>
public enum DeliveryResult
{
    /// <summary>The channel accepted it.</summary>
    Sent,

    /// <summary>It failed and waits for its next attempt.</summary>
    Retrying,

    /// <summary>It failed for good.</summary>
    Failed,

    /// <summary>The worker stopped while sending; nothing was recorded.</summary>
    Cancelled,
}

/// <summary>What one pass did: deliveries claimed, sent, to be retried, failed.</summary>
public sealed record DeliveryPass(int Claimed, int Sent, int Retrying, int Failed)
{
    internal static DeliveryPass Of(IReadOnlyCollection<DeliveryResult> results) => new(
        results.Count,
        results.Count(r => r == DeliveryResult.Sent),
        results.Count(r => r == DeliveryResult.Retrying),
        results.Count(r => r == DeliveryResult.Failed));
}
