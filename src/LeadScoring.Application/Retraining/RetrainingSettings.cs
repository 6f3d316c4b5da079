using System.Globalization;
using Cronos;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Retraining, from configuration section <see cref="SectionName"/>: what starts a run (drift, a schedule, a person),
/// what it trains on, how hard it searches, the gate a candidate must pass, and the path a passing candidate takes to
/// Production (shadow, canary, approval). Every value has the issue's default.
/// </summary>
public sealed class RetrainingSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LeadScoring:Retraining";

    /// <summary>False: no trigger fires, no run is worked on and no promotion advances (runs can still be requested and read).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the triggers are checked and the promotion path of unfinished runs is advanced.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where runs keep their training snapshots; null: <c>retraining</c> under the data directory.</summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>Where runs write their snapshots for a store in <paramref name="dataDirectory"/> (the service's worker and the CLI alike).</summary>
    public string SnapshotDirectoryUnder(string dataDirectory) =>
        SnapshotDirectory is { Length: > 0 } configured ? configured : Path.Combine(dataDirectory, "retraining");

    /// <summary>The training data taken from the logs.</summary>
    public RetrainingDataSettings Data { get; set; } = new();

    /// <summary>The hyper-parameter search.</summary>
    public RetrainingSearchSettings Search { get; set; } = new();

    /// <summary>The gate against the Production model.</summary>
    public RetrainingGateSettings Gate { get; set; } = new();

    /// <summary>The path from Staging to Production.</summary>
    public RetrainingPromotionSettings Promotion { get; set; } = new();

    /// <summary>Drift and schedule triggers.</summary>
    public RetrainingTriggerSettings Triggers { get; set; } = new();

    /// <summary>Every problem, each naming its configuration key; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var found = new List<string>();
        void Require(bool ok, string key, string rule, object? value)
        {
            if (!ok)
            {
                found.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} must be {rule} (got {value})"));
            }
        }

        Require(CheckInterval >= TimeSpan.FromSeconds(1), nameof(CheckInterval), "at least 1 second", CheckInterval);
        Require(Data.Lookback >= TimeSpan.FromDays(1), "Data:Lookback", "at least 1 day", Data.Lookback);
        Require(Data.MinLabelled >= 100, "Data:MinLabelled", "at least 100", Data.MinLabelled);
        Require(Search.Trials is >= 1 and <= 1_000, "Search:Trials", "between 1 and 1000", Search.Trials);
        Require(Search.Folds is >= 2 and <= 20, "Search:Folds", "between 2 and 20", Search.Folds);
        Require(Search.WallTime is null || Search.WallTime > TimeSpan.Zero, "Search:WallTime", "more than 0 (or unset for none)", Search.WallTime);
        Require(Search.Threads is >= 1 and <= 64, "Search:Threads", "between 1 and 64", Search.Threads);
        Require(Gate.MinRelativeAucGain is >= 0 and < 1, "Gate:MinRelativeAucGain", "in [0, 1)", Gate.MinRelativeAucGain);
        Require(Gate.MinCapturedGain is >= 0 and < 10, "Gate:MinCapturedGain", "in [0, 10)", Gate.MinCapturedGain);
        Require(Gate.DailyCapacity >= 1, "Gate:DailyCapacity", "at least 1", Gate.DailyCapacity);
        Require(Gate.EceTolerance is >= 0 and < 1, "Gate:EceTolerance", "in [0, 1)", Gate.EceTolerance);
        Require(Promotion.ShadowDuration >= TimeSpan.Zero, "Promotion:ShadowDuration", "at least 0", Promotion.ShadowDuration);
        Require(Triggers.DriftPsi > 0, "Triggers:DriftPsi", "more than 0", Triggers.DriftPsi);
        Require(Triggers.DriftCooldown >= TimeSpan.Zero, "Triggers:DriftCooldown", "at least 0", Triggers.DriftCooldown);
        Require(Triggers.WeeklyFor >= TimeSpan.Zero, "Triggers:WeeklyFor", "at least 0", Triggers.WeeklyFor);
        foreach (var (key, cron) in new[] { ("Triggers:Weekly", Triggers.Weekly), ("Triggers:Monthly", Triggers.Monthly) })
        {
            if (RetrainingTriggerSettings.TryParseCron(cron, out var problem) is null)
            {
                found.Add($"{SectionName}:{key} {problem}");
            }
        }

        foreach (var learner in Search.Learners)
        {
            if (!RetrainingSearchSettings.KnownLearners.Contains(learner))
            {
                found.Add($"{SectionName}:Search:Learners has '{learner}'; known: {string.Join(", ", RetrainingSearchSettings.KnownLearners)}");
            }
        }

        return found;
    }
}

/// <summary>Which logged leads a run trains on.</summary>
public sealed class RetrainingDataSettings
{
    /// <summary>How far back leads are taken (their first score), before the maturity cut.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(183);

    /// <summary>Fewer mature labelled leads stop the run (status insufficient_data) rather than train a weaker model.</summary>
    public int MinLabelled { get; set; } = 10_000;
}

/// <summary>The hyper-parameter search of a run.</summary>
public sealed class RetrainingSearchSettings
{
    /// <summary>The learners a search may pick from (wire names).</summary>
    public static readonly IReadOnlyList<string> KnownLearners = ["lightgbm", "fasttree", "logistic-regression"];

    /// <summary>Trials in the search.</summary>
    public int Trials { get; set; } = 50;

    /// <summary>Expanding-window time folds.</summary>
    public int Folds { get; set; } = 5;

    /// <summary>Stop starting trials after this long; null: no wall-time budget.</summary>
    public TimeSpan? WallTime { get; set; }

    /// <summary>Seeds the search and the final training: the same snapshot, seed and code give the same model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Training threads. One by default: on a small machine the other cores keep answering score requests.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The learners tried; empty: all of <see cref="KnownLearners"/>.</summary>
    public List<string> Learners { get; } = [];
}

/// <summary>What a candidate must show against Production on the latest time fold.</summary>
public sealed class RetrainingGateSettings
{
    /// <summary>Relative ROC AUC improvement that passes (0.02 = +2 %).</summary>
    public double MinRelativeAucGain { get; set; } = 0.02;

    /// <summary>Relative gain in conversions captured at the daily capacity that passes (0.05 = +5 %).</summary>
    public double MinCapturedGain { get; set; } = 0.05;

    /// <summary>Leads sales can call in a day: the capacity the captured conversions are counted at.</summary>
    public int DailyCapacity { get; set; } = 100;

    /// <summary>How much worse (absolute) the candidate's calibration error may be; 0: not worse at all.</summary>
    public double EceTolerance { get; set; }
}

/// <summary>The online path a candidate that passed the gate takes.</summary>
public sealed class RetrainingPromotionSettings
{
    /// <summary>How long the candidate scores in shadow before its canary starts.</summary>
    public TimeSpan ShadowDuration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>False: a canary that reached 100 % is approved by the platform; true: a person approves it.</summary>
    public bool RequireApproval { get; set; } = true;
}

/// <summary>What starts a run besides a person.</summary>
public sealed class RetrainingTriggerSettings
{
    /// <summary>Start a run when a monitoring run of the served model reports an overall PSI above <see cref="DriftPsi"/>, or a retraining_request alert fires.</summary>
    public bool Drift { get; set; } = true;

    /// <summary>The overall PSI above which drift starts a run.</summary>
    public double DriftPsi { get; set; } = 0.25;

    /// <summary>After a drift run starts, drift starts no other for this long (the evidence it answered is still in the windows).</summary>
    public TimeSpan DriftCooldown { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Start runs on the schedules below.</summary>
    public bool Schedule { get; set; } = true;

    /// <summary>The schedule while the Production version is young (cron, UTC).</summary>
    public string Weekly { get; set; } = "0 3 * * 1";

    /// <summary>The schedule after that (cron, UTC).</summary>
    public string Monthly { get; set; } = "0 3 1 * *";

    /// <summary>How long after a version became Production the weekly schedule applies.</summary>
    public TimeSpan WeeklyFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The parsed cron expression, or null with <paramref name="problem"/>.</summary>
    public static CronExpression? TryParseCron(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "must be a cron expression (5 fields, UTC)";
            return null;
        }

        try
        {
            return CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            problem = $"is not a cron expression ('{text}': {e.Message})";
            return null;
        }
    }
}
