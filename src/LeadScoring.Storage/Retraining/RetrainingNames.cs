namespace LeadScoring.Storage.Retraining;

/// <summary>The wire names of triggers and statuses, and which statuses are terminal or working.</summary>
public static class RetrainingNames
{
    /// <summary>The event a claim writes when it takes a run over from a worker whose claim expired.</summary>
    public const string Reclaimed = "reclaimed";

    private static readonly string[] Statuses =
    [
        "queued", "preparing_data", "searching", "training", "gating", "staged", "shadow", "canary", "awaiting_approval",
        "promoted", "insufficient_data", "gate_failed", "rolled_back", "rejected", "failed", "cancelled",
    ];

    private static readonly string[] Triggers = ["manual", "drift", "schedule"];

    /// <summary>Every status's wire name, in the enum's order.</summary>
    public static IReadOnlyList<string> StatusNames { get; } = Array.AsReadOnly(Statuses);

    /// <summary>Every trigger's wire name, in the enum's order.</summary>
    public static IReadOnlyList<string> TriggerNames { get; } = Array.AsReadOnly(Triggers);

    /// <summary>The terminal statuses: a run in one never changes again.</summary>
    public static IReadOnlyList<RetrainingStatus> TerminalStatuses { get; } =
    [
        RetrainingStatus.Promoted, RetrainingStatus.InsufficientData, RetrainingStatus.GateFailed, RetrainingStatus.RolledBack,
        RetrainingStatus.Rejected, RetrainingStatus.Failed, RetrainingStatus.Cancelled,
    ];

    /// <summary>The working statuses: a worker's claim holds the run while it is in one.</summary>
    public static IReadOnlyList<RetrainingStatus> WorkingStatuses { get; } =
        [RetrainingStatus.PreparingData, RetrainingStatus.Searching, RetrainingStatus.Training, RetrainingStatus.Gating];

    /// <summary>The status's wire name ("queued", "preparing_data", …).</summary>
    public static string Of(RetrainingStatus status) =>
        (uint)status < (uint)Statuses.Length ? Statuses[(int)status] : throw new ArgumentOutOfRangeException(nameof(status), status, "unknown retraining status");

    /// <summary>The trigger's wire name ("manual", "drift", "schedule").</summary>
    public static string Of(RetrainingTrigger trigger) =>
        (uint)trigger < (uint)Triggers.Length ? Triggers[(int)trigger] : throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "unknown retraining trigger");

    /// <summary>Parses a status's wire name (exact, lowercase).</summary>
    public static bool TryParseStatus(string? name, out RetrainingStatus status)
    {
        var index = name is null ? -1 : Array.IndexOf(Statuses, name);
        status = index < 0 ? default : (RetrainingStatus)index;
        return index >= 0;
    }

    /// <summary>Parses a trigger's wire name (exact, lowercase).</summary>
    public static bool TryParseTrigger(string? name, out RetrainingTrigger trigger)
    {
        var index = name is null ? -1 : Array.IndexOf(Triggers, name);
        trigger = index < 0 ? default : (RetrainingTrigger)index;
        return index >= 0;
    }

    /// <summary>True for Promoted, InsufficientData, GateFailed, RolledBack, Rejected, Failed and Cancelled.</summary>
    public static bool IsTerminal(RetrainingStatus status) => status is
        RetrainingStatus.Promoted or RetrainingStatus.InsufficientData or RetrainingStatus.GateFailed or RetrainingStatus.RolledBack
        or RetrainingStatus.Rejected or RetrainingStatus.Failed or RetrainingStatus.Cancelled;

    /// <summary>True for PreparingData, Searching, Training and Gating.</summary>
    public static bool IsWorking(RetrainingStatus status) => status is
        RetrainingStatus.PreparingData or RetrainingStatus.Searching or RetrainingStatus.Training or RetrainingStatus.Gating;

    /// <summary>"('promoted', …)": the terminal statuses as an SQL list, for the schema and the statements.</summary>
    internal static string TerminalSqlList { get; } = SqlList(TerminalStatuses);

    /// <summary>"('queued', 'preparing_data', …)": the statuses a claim can take (queued or working).</summary>
    internal static string ClaimableSqlList { get; } = SqlList([RetrainingStatus.Queued, .. WorkingStatuses]);

    internal static RetrainingStatus ParseStatus(string name) =>
        TryParseStatus(name, out var status) ? status : throw new InvalidDataException($"unknown retraining status '{name}' in the store");

    internal static RetrainingTrigger ParseTrigger(string name) =>
        TryParseTrigger(name, out var trigger) ? trigger : throw new InvalidDataException($"unknown retraining trigger '{name}' in the store");

    private static string SqlList(IEnumerable<RetrainingStatus> statuses) => "(" + string.Join(", ", statuses.Select(s => $"'{Of(s)}'")) + ")";
}
