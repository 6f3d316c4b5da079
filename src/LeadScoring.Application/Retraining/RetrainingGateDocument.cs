using System.Globalization;
using System.Text.Json;
using LeadScoring.Core.Retraining;
using LeadScoring.Core.Validation;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// The gate's verdict as a run keeps it (its GateJson): the Production version compared with, the fold both were
/// scored on, every figure of <see cref="GateResult"/>, and the reasons in plain sentences.
/// </summary>
/// <param name="Passed">The candidate may go on to Staging.</param>
/// <param name="ChampionVersion">The Production version compared with; null for a first model.</param>
/// <param name="FoldFrom">The first lead's time in the shared fold.</param>
/// <param name="FoldTo">The last lead's time in the shared fold.</param>
/// <param name="Result">The figures; null for a first model (nothing to compare with).</param>
/// <param name="Reasons">Why it passed or failed, with the numbers.</param>
public sealed record RetrainingGateDocument(bool Passed, int? ChampionVersion, DateTimeOffset? FoldFrom, DateTimeOffset? FoldTo, GateResult? Result, IReadOnlyList<string> Reasons)
{
    /// <summary>The reasons as one line (the run's status detail).</summary>
    public string Summary => string.Join("; ", Reasons);

    /// <summary>The verdict of <paramref name="result"/> against <paramref name="championVersion"/> on <paramref name="fold"/>.</summary>
    public static RetrainingGateDocument From(GateResult result, int championVersion, TimeFold fold)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(fold);
        return new(result.Passed, championVersion, fold.ValidationFrom, fold.ValidationTo, result, result.Reasons);
    }

    /// <summary>A first model passes on its own: there is no Production model to be better than.</summary>
    public static RetrainingGateDocument FirstModel(double auc, double ece) => new(
        true, null, null, null, null,
        [string.Create(CultureInfo.InvariantCulture, $"No Production model to compare with: the first model goes on with its held-out ROC AUC {auc:0.####} and ECE {ece:0.####}.")]);

    /// <summary>As stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RetrainingJson.Options);
}
