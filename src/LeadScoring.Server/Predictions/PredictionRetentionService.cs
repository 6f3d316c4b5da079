using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>One retention run: when, the cutoff, and how many rows went (or why it failed).</summary>
/// <param name="At">When it ran (the host's clock).</param>
/// <param name="Cutoff">Predictions scored before this were due.</param>
/// <param name="Deleted">Rows deleted; null when the run failed.</param>
/// <param name="Error">Why it failed; null when it succeeded.</param>
public sealed record RetentionRun(DateTimeOffset At, DateTimeOffset Cutoff, long? Deleted, string? Error);

/// <summary>
/// Deletes predictions older than <see cref="PredictionLoggingOptions.RetentionDays"/> once a day, at
/// <see cref="PredictionLoggingOptions.RetentionTimeOfDay"/> (UTC), waiting on the host's clock. A time of day rather
/// than "a day after start", so a service restarted more often than daily still runs it. A failed run is logged and
/// tried again the next day; it never stops the host. Off with the log (Enabled=false).
/// </summary>
public sealed partial class PredictionRetentionService : BackgroundService
{
    private readonly PredictionLog _log;
    private readonly PredictionLoggingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionRetentionService> _logger;
    private readonly object _lock = new();
    private volatile RetentionRun? _lastRun;
    private DateTimeOffset? _nextRunAt;

    internal PredictionRetentionService(PredictionLog log, IOptions<PredictionLoggingOptions> options, TimeProvider time, ILogger<PredictionRetentionService> logger)
    {
        _log = log;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The last run, or null before the first.</summary>
    public RetentionRun? LastRun => _lastRun;

    /// <summary>When the next run is due (set once the service waits for it on the host's clock).</summary>
    public DateTimeOffset? NextRunAt
    {
        get
        {
            lock (_lock)
            {
                return _nextRunAt;
            }
        }
    }

    /// <summary>The first <paramref name="timeOfDay"/> (UTC) strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan timeOfDay)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(utc.Date, TimeSpan.Zero) + timeOfDay;
        return today > utc ? today : today.AddDays(1);
    }

    /// <summary>Deletes what is due now; never throws for a store failure (the result says it failed).</summary>
    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var cutoff = at - TimeSpan.FromDays(_options.RetentionDays);
        RetentionRun run;
        try
        {
            var deleted = await _log.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            run = new RetentionRun(at, cutoff, deleted, null);
            LogDeleted(_logger, deleted, _options.RetentionDays, cutoff);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run = new RetentionRun(at, cutoff, null, e.Message);
            LogFailed(_logger, cutoff, e);
        }

        _lastRun = run;
        return run;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var next = NextRun(now, _options.RetentionTimeOfDay);
                var due = Task.Delay(next - now, _time, stoppingToken);
                // Published once the wait is armed, so whoever reads it can move the clock past it.
                lock (_lock)
                {
                    _nextRunAt = next;
                }

                await due.ConfigureAwait(false);
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a run cut short resumes tomorrow (deleted chunks stay deleted).
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "prediction log retention: deleted {Deleted} predictions older than {RetentionDays} days (scored before {Cutoff:O})")]
    private static partial void LogDeleted(ILogger logger, long deleted, int retentionDays, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "prediction log retention failed (predictions scored before {Cutoff:O} are kept until the next run, tomorrow)")]
    private static partial void LogFailed(ILogger logger, DateTimeOffset cutoff, Exception error);
}
