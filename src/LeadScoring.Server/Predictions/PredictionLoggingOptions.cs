using System.Globalization;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>The prediction log on the request path: durability, back-pressure, failure policy and retention (section LeadScoring:Predictions).</summary>
public sealed class PredictionLoggingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Predictions";

    /// <summary>Spelling of <see cref="OnStoreFailure"/> that answers 503 when the log cannot be written (the default).</summary>
    public const string FailClosed = "fail-closed";

    /// <summary>Spelling of <see cref="OnStoreFailure"/> that answers 200 anyway and counts the score as unlogged.</summary>
    public const string ServeUnlogged = "serve-unlogged";

    /// <summary>Record every scored lead. False is the unlogged baseline (benchmarks): nothing is queued or written.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><see cref="FailClosed"/> or <see cref="ServeUnlogged"/> (case-insensitive): what a request gets when its records cannot be committed.</summary>
    public string OnStoreFailure { get; set; } = FailClosed;

    /// <summary>SQLite: fsync every batch (synchronous=FULL), so an acknowledged score survives power loss too.</summary>
    public bool SyncEveryBatch { get; set; }

    /// <summary>Most records accepted and not yet committed; a request waits for room beyond that.</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Most records the writer commits in one transaction (a request's records are never split).</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>How long a request waits for room in the queue before it gets a 503 with Retry-After.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Predictions older than this many days are deleted by the daily retention run.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>The time of day (UTC) the retention run starts, every day.</summary>
    public TimeSpan RetentionTimeOfDay { get; set; } = TimeSpan.FromHours(3);

    /// <summary>True when <see cref="OnStoreFailure"/> says <see cref="ServeUnlogged"/>.</summary>
    public bool ServesUnlogged => string.Equals(OnStoreFailure?.Trim(), ServeUnlogged, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Checks <see cref="PredictionLoggingOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class PredictionLoggingOptionsValidator : IValidateOptions<PredictionLoggingOptions>
{
    public const int MaxQueueCapacity = 1_000_000;
    public const int MaxRetentionDays = 36_500;
    private static readonly TimeSpan LongestQueueWait = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, PredictionLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var policy = options.OnStoreFailure?.Trim();
        if (!string.Equals(policy, PredictionLoggingOptions.FailClosed, StringComparison.OrdinalIgnoreCase) && !options.ServesUnlogged)
        {
            failures.Add(Message($"OnStoreFailure must be '{PredictionLoggingOptions.FailClosed}' or '{PredictionLoggingOptions.ServeUnlogged}' (got '{options.OnStoreFailure}')"));
        }

        if (options.QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            failures.Add(Message($"QueueCapacity must be between 1 and {MaxQueueCapacity} records (got {options.QueueCapacity})"));
        }

        // Checked against a valid capacity only, so a bad capacity is reported once.
        if (options.MaxBatchSize < 1 || (options.QueueCapacity is >= 1 and <= MaxQueueCapacity && options.MaxBatchSize > options.QueueCapacity))
        {
            failures.Add(Message($"MaxBatchSize must be between 1 and QueueCapacity, {options.QueueCapacity} (got {options.MaxBatchSize})"));
        }

        if (options.MaxQueueWait <= TimeSpan.Zero || options.MaxQueueWait > LongestQueueWait)
        {
            failures.Add(Message($"MaxQueueWait must be more than 0 and at most 1 minute (got {options.MaxQueueWait})"));
        }

        if (options.RetentionDays is < 1 or > MaxRetentionDays)
        {
            failures.Add(Message($"RetentionDays must be between 1 and {MaxRetentionDays} (got {options.RetentionDays})"));
        }

        if (options.RetentionTimeOfDay < TimeSpan.Zero || options.RetentionTimeOfDay >= TimeSpan.FromDays(1))
        {
            failures.Add(Message($"RetentionTimeOfDay must be a time of day (UTC) from 00:00:00 to 23:59:59 (got {options.RetentionTimeOfDay})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Message(FormattableString problem) =>
        PredictionLoggingOptions.SectionName + ":" + problem.ToString(CultureInfo.InvariantCulture);
}
