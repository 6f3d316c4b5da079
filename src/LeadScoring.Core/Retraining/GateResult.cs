using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Retraining;

/// <summary>What the promotion gate measured on the shared fold, and its verdict with the reasons.</summary>
/// <param name="Passed">(AucMet or CapturedMet) and CalibrationMet.</param>
/// <param name="Rows">Leads in the fold.</param>
/// <param name="Positives">Converted leads in the fold.</param>
/// <param name="ChampionAuc">The champion's ROC AUC.</param>
/// <param name="ChallengerAuc">The challenger's ROC AUC.</param>
/// <param name="RelativeAucGain">(challenger − champion) / champion; null when the champion's AUC is 0.</param>
/// <param name="AucMet">The AUC criterion held (with a champion AUC of 0: the challenger's is above 0).</param>
/// <param name="DeLong">DeLong's comparison exactly as <see cref="Statistics.DeLong.Compare"/> returns it (its Difference is champion − challenger, its interval 95 %); null with fewer than two leads of either outcome.</param>
/// <param name="AucDifferenceLower">Lower end of the 1 − Alpha interval of challenger − champion AUC (DeLong's standard error); null with <paramref name="DeLong"/>.</param>
/// <param name="AucDifferenceUpper">Upper end of that interval; null with <paramref name="DeLong"/>.</param>
/// <param name="DeLongSignificant">DeLong's p-value is below Alpha (reported, never required); false without <paramref name="DeLong"/>.</param>
/// <param name="Days">UTC calendar days in the fold.</param>
/// <param name="ChampionCaptured">Conversions among the champion's top DailyCapacity leads of each day, summed over the days.</param>
/// <param name="ChallengerCaptured">The same for the challenger.</param>
/// <param name="CapturedGain">(challenger − champion) / champion captured; null when the champion captured none.</param>
/// <param name="CapturedMet">The capacity criterion held (with a champion at 0: the challenger captured at least one).</param>
/// <param name="ChampionEce">The champion's expected calibration error.</param>
/// <param name="ChallengerEce">The challenger's expected calibration error.</param>
/// <param name="CalibrationMet">ChallengerEce ≤ ChampionEce + EceTolerance.</param>
/// <param name="Reasons">Plain sentences with the numbers: one per criterion, the reported DeLong test, and the verdict last.</param>
public sealed record GateResult(
    bool Passed,
    int Rows,
    int Positives,
    double ChampionAuc,
    double ChallengerAuc,
    double? RelativeAucGain,
    bool AucMet,
    DeLongResult? DeLong,
    double? AucDifferenceLower,
    double? AucDifferenceUpper,
    bool DeLongSignificant,
    int Days,
    long ChampionCaptured,
    long ChallengerCaptured,
    double? CapturedGain,
    bool CapturedMet,
    double ChampionEce,
    double ChallengerEce,
    bool CalibrationMet,
    IReadOnlyList<string> Reasons);
