using LeadScoring.Core.Scoring;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Application.Predictions;

/// <summary>One logged prediction re-scored: by the version that scored it, and by the model's Production version today.</summary>
/// <param name="Logged">The prediction as logged.</param>
/// <param name="ReplayedScore">The logged version's score of the logged features now; null when it could not be replayed.</param>
/// <param name="ReplayProblem">Why it could not be replayed (version deleted, package unloadable, features unreadable).</param>
/// <param name="CurrentVersion">The model's Production version now; null when it has none.</param>
/// <param name="CurrentScore">What <paramref name="CurrentVersion"/> scores the logged features; null when it cannot.</param>
/// <param name="CurrentBand">The band of <paramref name="CurrentScore"/> under today's bands.</param>
/// <param name="CurrentProblem">Why there is no current score (no Production version, another schema, unloadable).</param>
public sealed record ReplayedPrediction(
    StoredPrediction Logged,
    double? ReplayedScore,
    string? ReplayProblem,
    int? CurrentVersion,
    double? CurrentScore,
    string? CurrentBand,
    string? CurrentProblem)
{
    /// <summary>The replayed score's distance from the logged one (replayed − logged).</summary>
    public double? Difference => ReplayedScore - Logged.Record.Score;

    /// <summary>Whether the replay reproduced the logged score (|Δ| ≤ <see cref="LeadReplay.Tolerance"/>); null when it could not run.</summary>
    public bool? Matches => Difference is double d ? Math.Abs(d) <= LeadReplay.Tolerance : null;
}

/// <summary>
/// Point-in-time replay: re-scores every logged prediction of a lead with the exact model version that scored it,
/// from the features as logged, and says whether the score is reproduced; and scores the same features with the
/// model's Production version today. Answers "why did this lead get 0.12 on the 3rd, and would it get the same today?".
/// </summary>
public sealed class LeadReplay(PredictionLog log, IModelRegistry registry)
{
    /// <summary>The largest difference still counted as the same score.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>
    /// Every logged prediction of <paramref name="leadId"/>, oldest first, replayed; empty when the lead was never
    /// scored. <paramref name="bands"/> bands today's scores (the server passes its configured bands).
    /// </summary>
    public async Task<IReadOnlyList<ReplayedPrediction>> ReplayAsync(string leadId, ScoreBuckets bands, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadId);
        ArgumentNullException.ThrowIfNull(bands);
        var logged = await log.GetByLeadAsync(leadId, cancellationToken).ConfigureAwait(false);
        var packages = new VersionPackages(registry);
        var replayed = new List<ReplayedPrediction>(logged.Count);
        foreach (var prediction in logged)
        {
            var record = prediction.Record;
            var (score, problem) = await ScoreAsync(packages, record.ModelName, record.ModelVersion, record.FeaturesJson, cancellationToken).ConfigureAwait(false);

            var current = await packages.GetProductionVersionAsync(record.ModelName, cancellationToken).ConfigureAwait(false);
            double? currentScore = null;
            string? currentProblem = $"{record.ModelName} has no Production version";
            if (current is int version)
            {
                (currentScore, currentProblem) = await ScoreAsync(packages, record.ModelName, version, record.FeaturesJson, cancellationToken).ConfigureAwait(false);
            }

            replayed.Add(new ReplayedPrediction(
                prediction, score, problem, current, currentScore, currentScore is double s ? bands.Of(s) : null, currentProblem));
        }

        return replayed;
    }

    private static async Task<(double? Score, string? Problem)> ScoreAsync(
        VersionPackages packages, string name, int version, string featuresJson, CancellationToken cancellationToken)
    {
        var loaded = await packages.GetAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (loaded.Package is not { } package)
        {
            return (null, loaded.Problem);
        }

        var features = LoggedFeatures.TryRead(featuresJson, package.Schema, out var problem);
        return features is null ? (null, $"{name} v{version}: {problem}") : (package.Scorer.Score(features), null);
    }
}
