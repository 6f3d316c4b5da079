namespace LeadScoring.Core.Statistics;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Coverage, e.g. 0.95.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level)
{
    /// <summary>Whether <paramref name="value"/> lies inside (bounds included).</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
