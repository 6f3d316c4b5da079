using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LeadScoring.Core.Features;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Scoring;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>A lead the champion answered, offered to the deployment's shadow model.</summary>
/// <param name="Deployment">The shadow deployment it was served under.</param>
/// <param name="Served">The champion's record as logged (its score, band, request and features); null when the log is off.</param>
/// <param name="Features">The validated features the champion scored.</param>
/// <param name="OfferedAt">When it was offered (the host's timestamp), where its time budget starts.</param>
public sealed record ShadowLead(ServedDeployment Deployment, PredictionRecord? Served, LeadFeatures Features, long OfferedAt);

/// <summary>What the shadow model did since start.</summary>
/// <param name="Completed">Leads scored within the time budget.</param>
/// <param name="Failed">Leads whose scoring threw.</param>
/// <param name="TimedOut">Leads not scored within the time budget (their score, if any came, is discarded).</param>
/// <param name="Dropped">Leads not queued: the queue was full, or the service was stopping.</param>
/// <param name="PairsNotLogged">Scored leads whose pair row the prediction log had no room for (or was off or closed).</param>
/// <param name="Shed">Leads not scored because the shadow model had used its share of the time (<see cref="ShadowOptions.MaxBusyShare"/>).</param>
public sealed record ShadowCounts(long Completed, long Failed, long TimedOut, long Dropped, long PairsNotLogged, long Shed);

/// <summary>
/// Runs the shadow model off the request path: the scoring path offers each lead the champion answered (never waiting:
/// a full queue drops it and counts it), and one dedicated thread scores them with the shadow model within a time budget
/// per lead and writes one pair row per lead to the prediction log (arm "shadow": the champion's version, score and band
/// beside the shadow's version and score) without anyone waiting on it. A shadow model that is slow, throws or hangs
/// costs that one thread and fills this queue; it never fails a response. Nor does it take the requests' cores: the
/// thread spends at most <see cref="ShadowOptions.MaxBusyShare"/> of the time in the model, and beyond that sheds leads
/// (at the offer, so they are not even queued) until its time is paid back. Measured with bench/load/run-modes: a
/// CPU-hungry or sleeping shadow model had taken P99 to 8× and 4.6× single mode's before this rule. Counts go to the arm counters
/// (arm shadow), to <see cref="Counts"/> and to the Meter "LeadScoring.Serving".
/// </summary>
public sealed partial class ShadowScorer : IHostedService, IDisposable
{
    /// <summary>The meter of the shadow model's counters.</summary>
    public const string MeterName = "LeadScoring.Serving";

    private readonly Channel<ShadowLead> _queue;
    private readonly ShadowOptions _options;
    private readonly ArmCounters _counters;
    private readonly PredictionRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowScorer> _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _outcomes;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _completed;
    private long _failed;
    private long _timedOut;
    private long _dropped;
    private long _pairsNotLogged;
    private long _shed;

    // The busy-time budget: time spent in the model since the window started, and until when leads are shed.
    private bool _windowOpen;
    private long _windowStart;
    private TimeSpan _busy;
    private long _restUntil;
    private volatile bool _abandoned;
    private bool _started;

    public ShadowScorer(IOptions<ShadowOptions> options, ArmCounters counters, PredictionRecorder recorder, IMeterFactory meters, TimeProvider time, ILogger<ShadowScorer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _options = options.Value;
        (_counters, _recorder, _time, _logger) = (counters, recorder, time, logger);
        _queue = Channel.CreateBounded<ShadowLead>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _meter = meters.Create(MeterName);
        _outcomes = _meter.CreateCounter<long>("leadscoring.shadow.leads", "{lead}", "Leads offered to the shadow model, by outcome (completed, failed, timed_out, dropped, pair_not_logged, shed)");
        _meter.CreateObservableGauge("leadscoring.shadow.queue_depth", () => _queue.Reader.Count, "{lead}", "Leads waiting for the shadow model");
    }

    /// <summary>What the shadow model did since start.</summary>
    public ShadowCounts Counts => new(Interlocked.Read(ref _completed), Interlocked.Read(ref _failed), Interlocked.Read(ref _timedOut), Interlocked.Read(ref _dropped), Interlocked.Read(ref _pairsNotLogged), Interlocked.Read(ref _shed));

    /// <summary>Leads waiting for the shadow model.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues <paramref name="lead"/> for the shadow model, never waiting: false (and counted as dropped) when there is no room.</summary>
    public bool Offer(ShadowLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (Resting(lead.OfferedAt))
        {
            Count(ref _shed, "shed");
            return false;
        }

        if (_queue.Writer.TryWrite(lead))
        {
            return true;
        }

        Count(ref _dropped, "dropped");
        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A dedicated thread: a shadow model that blocks holds it alone, not a thread-pool worker the requests need.
        var thread = new Thread(Run) { IsBackground = true, Name = "shadow scorer" };
        thread.Start();
        _started = true;
        return Task.CompletedTask;
    }

    /// <summary>Takes no more leads and gives the queued ones <see cref="ShadowOptions.ShutdownDrain"/> to be scored; the rest are dropped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (!_started)
        {
            return;
        }

        try
        {
            await _ended.Task.WaitAsync(_options.ShutdownDrain, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The thread drops what is left (a lead being scored ends when its model returns; the thread is a background one).
            _abandoned = true;
            LogAbandoned(_logger, _queue.Reader.Count, _options.ShutdownDrain.TotalSeconds);
        }
    }

    public void Dispose() => _meter.Dispose();

    private void Run()
    {
        try
        {
            var reader = _queue.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var lead))
                {
                    if (_abandoned)
                    {
                        Count(ref _dropped, "dropped");
                    }
                    else
                    {
                        Score(lead);
                    }
                }
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    private void Score(ShadowLead lead)
    {
        var deployment = lead.Deployment;
        if (Resting(_time.GetTimestamp()))
        {
            // Queued before the model used up its share: shed as if it had come now.
            Count(ref _shed, "shed");
            return;
        }

        var budget = _options.TimeBudget;
        if (_time.GetElapsedTime(lead.OfferedAt) is var waited && waited >= budget)
        {
            // Stale before it started: skipping it is how the queue catches up after a slow spell.
            TimedOut(deployment, waited);
            return;
        }

        var started = _time.GetTimestamp();
        double score;
        try
        {
            score = deployment.Challenger.Scorer.Score(lead.Features);
        }
        catch (Exception e)
        {
            var failedAfter = _time.GetElapsedTime(started);
            Spent(started, failedAfter);
            _counters.Record(deployment.Id, ServingArm.Shadow, Microseconds(failedAfter), error: true);
            if (Count(ref _failed, "failed") is var failed && (failed & (failed - 1)) == 0)
            {
                LogFailed(_logger, e, deployment.Challenger.Name, deployment.Challenger.Version, failed);
            }

            return;
        }

        var took = _time.GetElapsedTime(started);
        Spent(started, took);
        if (_time.GetElapsedTime(lead.OfferedAt) >= budget)
        {
            TimedOut(deployment, took);
            return;
        }

        _counters.Record(deployment.Id, ServingArm.Shadow, Microseconds(took));
        Count(ref _completed, "completed");
        if (lead.Served is not { } served || !_recorder.TryRecordDetached(served with
        {
            Arm = ServingArms.Shadow,
            LatencyMicroseconds = Microseconds(took),
            ShadowModelVersion = deployment.Challenger.Version,
            ShadowScore = score,
        }))
        {
            Count(ref _pairsNotLogged, "pair_not_logged");
        }
    }

    private bool Resting(long now) => now < Volatile.Read(ref _restUntil);

    // Adds a call's time to the window's (BusyWindow long); once it exceeds MaxBusyShare of the time since the window
    // began, leads are shed until the window has lasted busy / share, so the long-run share holds even when one call
    // takes longer than the window (a sleeping model). Then a new window begins. Runs on the scoring thread only.
    private void Spent(long started, TimeSpan took)
    {
        if (!_windowOpen || _time.GetElapsedTime(_windowStart, started) >= ShadowOptions.BusyWindow)
        {
            (_windowOpen, _windowStart, _busy) = (true, started, TimeSpan.Zero);
        }

        _busy += took;
        var share = _options.MaxBusyShare;
        if (_busy > ShadowOptions.BusyWindow * share)
        {
            var rest = _busy / share;
            Volatile.Write(ref _restUntil, _windowStart + (long)(rest.TotalSeconds * _time.TimestampFrequency));
            _windowOpen = false;
        }
    }

    private void TimedOut(ServedDeployment deployment, TimeSpan took)
    {
        _counters.Record(deployment.Id, ServingArm.Shadow, Microseconds(took), error: true);
        Count(ref _timedOut, "timed_out");
    }

    private long Count(ref long counter, string outcome)
    {
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        return Interlocked.Increment(ref counter);
    }

    private static long Microseconds(TimeSpan span) => (long)span.TotalMicroseconds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "the shadow model {Model} v{Version} failed to score a lead ({Failed} failures so far; logged at powers of two)")]
    private static partial void LogFailed(ILogger logger, Exception error, string model, int version, long failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopping: {Left} leads were still waiting for the shadow model after {Seconds} s; they are dropped")]
    private static partial void LogAbandoned(ILogger logger, int left, double seconds);
}
