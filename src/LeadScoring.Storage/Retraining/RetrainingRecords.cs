namespace LeadScoring.Storage.Retraining;

/// <summary>What asked for a retraining run (wire names in <see cref="RetrainingNames"/>).</summary>
public enum RetrainingTrigger
{
    /// <summary>A person: <c>leadscore retrain</c> or <c>POST /retraining/runs</c>.</summary>
    Manual,

    /// <summary>Monitoring saw the served model drift (or alerting asked for a retraining).</summary>
    Drift,

    /// <summary>The retraining schedule came due.</summary>
    Schedule,
}

/// <summary>
/// Where a retraining run is (wire names, snake_case, in <see cref="RetrainingNames"/>). Terminal: Promoted,
/// InsufficientData, GateFailed, RolledBack, Rejected, Failed, Cancelled. Working (a worker holds the run's claim):
/// PreparingData, Searching, Training, Gating.
/// </summary>
public enum RetrainingStatus
{
    /// <summary>Waiting for a worker to claim it.</summary>
    Queued,

    /// <summary>Working: building the training snapshot.</summary>
    PreparingData,

    /// <summary>Working: the hyper-parameter search.</summary>
    Searching,

    /// <summary>Working: training the chosen candidate.</summary>
    Training,

    /// <summary>Working: comparing the candidate with the Production model.</summary>
    Gating,

    /// <summary>The candidate passed the gate and is registered as Staging.</summary>
    Staged,

    /// <summary>The candidate runs in shadow.</summary>
    Shadow,

    /// <summary>The candidate serves a growing share of traffic.</summary>
    Canary,

    /// <summary>The canary finished; a person must approve the promotion.</summary>
    AwaitingApproval,

    /// <summary>Terminal: the candidate is Production.</summary>
    Promoted,

    /// <summary>Terminal: too few mature labelled leads to train on.</summary>
    InsufficientData,

    /// <summary>Terminal: the candidate did not beat the Production model; nothing was promoted.</summary>
    GateFailed,

    /// <summary>Terminal: a guardrail rolled the candidate's deployment back.</summary>
    RolledBack,

    /// <summary>Terminal: a person refused the promotion.</summary>
    Rejected,

    /// <summary>Terminal: an error stopped the run.</summary>
    Failed,

    /// <summary>Terminal: a person stopped the run.</summary>
    Cancelled,
}

/// <summary>
/// A retraining run to queue. <paramref name="TriggerDetail"/> says what fired (e.g. the PSI); <paramref name="OptionsJson"/>
/// (a JSON object) holds the run's settings as resolved when it was requested, so the run can be reproduced.
/// </summary>
public sealed record NewRetrainingRun(
    string ModelName, RetrainingTrigger Trigger, string? TriggerDetail, string RequestedBy, string? Reason, string OptionsJson);

/// <summary>
/// A retraining run as stored. The JSON fields are objects written by the steps that produced them (data: the
/// snapshot; search: the search's summary; gate: the comparison); <paramref name="CandidateVersion"/> is the
/// candidate's registry version, <paramref name="DeploymentId"/> the deployment that carries it online.
/// <paramref name="StartedAt"/> is the first claim (or first working status); <paramref name="EndedAt"/> is set when
/// the status became terminal. <paramref name="ClaimedBy"/>/<paramref name="ClaimedUntil"/> is the worker's claim
/// (possibly expired), null when nobody holds it.
/// </summary>
public sealed record RetrainingRun(
    long Id,
    string ModelName,
    RetrainingTrigger Trigger,
    string? TriggerDetail,
    string RequestedBy,
    string? Reason,
    RetrainingStatus Status,
    string? StatusDetail,
    string OptionsJson,
    string? DataJson,
    string? SearchJson,
    string? GateJson,
    int? CandidateVersion,
    long? DeploymentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimedUntil)
{
    /// <summary>True when the status is terminal (<see cref="RetrainingNames.IsTerminal"/>).</summary>
    public bool IsTerminal => RetrainingNames.IsTerminal(Status);
}

/// <summary>
/// One entry of a run's audit trail. <paramref name="Step"/> is the wire name of the status a transition entered
/// ("queued", "searching", …), or <see cref="RetrainingNames.Reclaimed"/>, or a step the caller recorded with
/// <see cref="RetrainingStore.AddEventAsync"/>.
/// </summary>
public sealed record RetrainingEvent(long Id, long RunId, DateTimeOffset At, string Step, string Actor, string? Detail);

/// <summary>
/// One trial of a run's hyper-parameter search: its number (unique per run), learner, parameters (a JSON object),
/// fold scores (a JSON array or object), mean and latest-fold scores (null when it did not finish), status
/// (e.g. "completed", "pruned", "failed"), error and duration.
/// </summary>
public sealed record RetrainingTrial(
    long RunId,
    int Number,
    string Learner,
    string ParametersJson,
    string FoldScoresJson,
    double? MeanScore,
    double? LatestFoldScore,
    string Status,
    string? Error,
    double DurationMs);

/// <summary>A run's new status and what it sets on the run; a null field keeps the stored value.</summary>
public sealed record RetrainingRunUpdate(
    RetrainingStatus Status,
    string? StatusDetail = null,
    string? DataJson = null,
    string? SearchJson = null,
    string? GateJson = null,
    int? CandidateVersion = null,
    long? DeploymentId = null);

/// <summary>
/// A page of runs, newest first: only the set filters apply; <paramref name="Before"/> continues after a page
/// (<see cref="RetrainingPage.NextBefore"/>); <paramref name="PageSize"/> is 1–<see cref="RetrainingStore.MaxPageSize"/>.
/// </summary>
public sealed record RetrainingQuery(
    string? ModelName = null, RetrainingStatus? Status = null, RetrainingTrigger? Trigger = null, long? Before = null, int PageSize = 50);

/// <summary>One page of runs, newest first; pass <paramref name="NextBefore"/> as the next query's Before (null: last page).</summary>
public sealed record RetrainingPage(IReadOnlyList<RetrainingRun> Runs, long? NextBefore);
