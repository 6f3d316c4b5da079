namespace LeadScoring.Core.Retraining;

/// <summary>
/// The shared fold the gate judges on: the latest time fold's leads, each with its outcome, its arrival time, and the
/// champion's and the challenger's probability of conversion. Row i of every array is the same lead.
/// </summary>
/// <param name="Labels">Outcomes (true = converted).</param>
/// <param name="Times">When each lead arrived; the capacity criterion groups them by UTC calendar day.</param>
/// <param name="ChampionScores">The current Production model's probabilities, in [0, 1].</param>
/// <param name="ChallengerScores">The candidate's probabilities, in [0, 1].</param>
public sealed record GateInput(bool[] Labels, DateTimeOffset[] Times, double[] ChampionScores, double[] ChallengerScores);
