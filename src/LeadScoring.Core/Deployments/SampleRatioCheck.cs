using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>
/// The sample-ratio-mismatch check: Pearson's chi-square goodness of fit (1 degree of freedom) of the observed
/// champion/challenger lead counts against the configured share. A split that departs from its configuration
/// (a bug in assignment, a crashing arm that loses leads, bots hitting one arm) biases every other figure, so a
/// p-value below the threshold marks the experiment broken and withholds any decision.
/// </summary>
/// <param name="ChampionLeads">Leads the champion served.</param>
/// <param name="ChallengerLeads">Leads the challenger served.</param>
/// <param name="ExpectedShare">The configured challenger share.</param>
/// <param name="ObservedShare">ChallengerLeads / all leads.</param>
/// <param name="ChiSquare">Σ (observed − expected)² / expected over both arms.</param>
/// <param name="PValue">P(χ²₁ ≥ ChiSquare).</param>
/// <param name="Mismatch">True when PValue is below the configured threshold (default 0.001).</param>
public sealed record SampleRatioCheck(long ChampionLeads, long ChallengerLeads, double ExpectedShare, double ObservedShare, double ChiSquare, double PValue, bool Mismatch)
{
    /// <summary>
    /// Checks the split; null when it cannot be judged: a share of 0 or 1 (one arm only) or fewer than 5
    /// expected leads in an arm (the chi-square approximation's usual condition).
    /// </summary>
    public static SampleRatioCheck? Of(long championLeads, long challengerLeads, double expectedShare, double alpha = 0.001)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(championLeads);
        ArgumentOutOfRangeException.ThrowIfNegative(challengerLeads);
        var total = championLeads + challengerLeads;
        if (!(expectedShare > 0 && expectedShare < 1) || total == 0)
        {
            return null;
        }

        var expectedChallenger = total * expectedShare;
        var expectedChampion = total * (1 - expectedShare);
        if (expectedChallenger < 5 || expectedChampion < 5)
        {
            return null;
        }

        var dt = challengerLeads - expectedChallenger;
        var dc = championLeads - expectedChampion;
        var chi = (dt * dt / expectedChallenger) + (dc * dc / expectedChampion);
        var p = ChiSquareTest.Survival(chi, 1);
        return new SampleRatioCheck(championLeads, challengerLeads, expectedShare, (double)challengerLeads / total, chi, p, p < alpha);
    }
}
