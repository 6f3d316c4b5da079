namespace LeadScoring.Application.Retraining;

/// <summary>Which logged leads a retraining run learns from (defaults from issue 11).</summary>
public sealed record TrainingSetOptions
{
    /// <summary>The defaults.</summary>
    public static readonly TrainingSetOptions Default = new();

    /// <summary>How far back first scores are taken (default 183 days, about six months).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(183);

    /// <summary>Fewest mature labelled leads a run trains on (default 10,000); fewer stops the run rather than training a weaker model.</summary>
    public int MinLabelled { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Lookback <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Lookback), Lookback, $"{nameof(Lookback)} must be positive");
        }

        if (MinLabelled < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinLabelled), MinLabelled, $"{nameof(MinLabelled)} must be at least 2 (one lead of each outcome)");
        }
    }
}
