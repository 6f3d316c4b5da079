using System.Text.Json;

namespace LeadScoring.Server.Leads;

/// <summary>A model version as the lead history names it.</summary>
public sealed record LeadModelRef(string Name, int Version);

/// <summary>Everything the platform knows about one lead: every logged score, oldest first, and every version of its outcome.</summary>
public sealed record LeadHistoryResponse(string LeadId, IReadOnlyList<LeadScoreEntry> Scores, IReadOnlyList<LeadOutcomeEntry> Outcomes);

/// <summary>One logged score.</summary>
/// <param name="ScoredAt">When it was scored (UTC).</param>
/// <param name="RequestId">The request (or <c>cli-…</c> batch run) that scored it.</param>
/// <param name="Model">The version that scored it.</param>
/// <param name="Arm">The serving arm (champion, challenger, shadow).</param>
/// <param name="Score">The score it got.</param>
/// <param name="Band">Its band then.</param>
/// <param name="LatencyMs">How long scoring took, in milliseconds.</param>
/// <param name="ShadowModelVersion">The shadow version that also scored it, if any.</param>
/// <param name="ShadowScore">The shadow's score, if any.</param>
/// <param name="Features">The features as validated and logged.</param>
public sealed record LeadScoreEntry(
    DateTimeOffset ScoredAt,
    string RequestId,
    LeadModelRef Model,
    string Arm,
    double Score,
    string Band,
    double LatencyMs,
    int? ShadowModelVersion,
    double? ShadowScore,
    JsonElement Features);

/// <summary>One version of the lead's outcome.</summary>
/// <param name="Converted">Whether the lead converted.</param>
/// <param name="Revenue">Its revenue, when known.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReceivedAt">When the platform received this version.</param>
/// <param name="Source">Who sent it.</param>
/// <param name="ReplacedAt">When a later version replaced it; null for the current one.</param>
/// <param name="Current">Whether this is the lead's current outcome.</param>
public sealed record LeadOutcomeEntry(bool Converted, double? Revenue, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string Source, DateTimeOffset? ReplacedAt, bool Current);

/// <summary>The lead's logged predictions replayed: how many were reproduced, and each one.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Predictions">Logged predictions.</param>
/// <param name="Matched">Replays that reproduced the logged score.</param>
/// <param name="Mismatched">Replays that gave another score.</param>
/// <param name="NotReplayed">Predictions whose version could not score them (see each entry's replay_error).</param>
/// <param name="Replays">One entry per logged prediction, oldest first.</param>
public sealed record LeadReplayResponse(string LeadId, int Predictions, int Matched, int Mismatched, int NotReplayed, IReadOnlyList<LeadReplayEntry> Replays);

/// <summary>One logged prediction replayed.</summary>
/// <param name="ScoredAt">When it was scored.</param>
/// <param name="RequestId">The request that scored it.</param>
/// <param name="Model">The version that scored it (and re-scored it now).</param>
/// <param name="Arm">The serving arm.</param>
/// <param name="LoggedScore">The score logged then.</param>
/// <param name="LoggedBand">The band logged then.</param>
/// <param name="ReplayedScore">The same version's score of the logged features now; null when it could not run.</param>
/// <param name="Difference">replayed − logged.</param>
/// <param name="Match">Whether |difference| ≤ 1e-9; null when it could not run.</param>
/// <param name="ReplayError">Why it could not run (version not in the registry, package unloadable, features unreadable).</param>
/// <param name="CurrentVersion">The model's Production version today.</param>
/// <param name="CurrentScore">What the Production version scores the same features today.</param>
/// <param name="CurrentBand">Its band under today's bands.</param>
/// <param name="CurrentError">Why there is no current score (no Production version, features it does not take).</param>
public sealed record LeadReplayEntry(
    DateTimeOffset ScoredAt,
    string RequestId,
    LeadModelRef Model,
    string Arm,
    double LoggedScore,
    string LoggedBand,
    double? ReplayedScore,
    double? Difference,
    bool? Match,
    string? ReplayError,
    int? CurrentVersion,
    double? CurrentScore,
    string? CurrentBand,
    string? CurrentError);
