namespace LeadScoring.Core.Simulation;

/// <summary>How many leads to simulate, from which world, and over which period.</summary>
/// <param name="Rows">Number of leads.</param>
/// <param name="Seed">Random seed: the same options give the same leads, value for value.</param>
/// <param name="Scenario">The world the leads come from.</param>
/// <param name="Start">Arrival time of the first lead (fixed default, so files never depend on the clock).</param>
/// <param name="Days">Leads arrive over this many days.</param>
public sealed record SimulationOptions(
    int Rows,
    int Seed = 42,
    Scenario Scenario = Scenario.Baseline,
    DateTimeOffset? Start = null,
    int Days = 90)
{
    /// <summary>The default start of simulated time.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
}
