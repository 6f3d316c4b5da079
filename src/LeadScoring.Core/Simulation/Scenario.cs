namespace LeadScoring.Core.Simulation;

/// <summary>What the simulated world looks like; each scenario but the baseline is a kind of drift.</summary>
public enum Scenario
{
    /// <summary>The world the first model is trained on.</summary>
    Baseline,

    /// <summary>The lead-source mix changes (paid social surges, search shrinks); the conversion rules stay.</summary>
    SourceShift,

    /// <summary>Volume and conversion follow the calendar: weekday peaks, a summer dip, a year-end push.</summary>
    Seasonality,

    /// <summary>Inputs look the same but what converts changes (engagement matters less, occupations swap).</summary>
    ConceptDrift,

    /// <summary>An upstream bug: time on site arrives as 0 and pages per visit as null for every lead.</summary>
    BrokenPipeline,
}

/// <summary>Names of scenarios as the CLI and API spell them.</summary>
public static class ScenarioNames
{
    /// <summary>Every scenario with its kebab-case name.</summary>
    public static readonly IReadOnlyDictionary<string, Scenario> All = new Dictionary<string, Scenario>(StringComparer.OrdinalIgnoreCase)
    {
        ["baseline"] = Scenario.Baseline,
        ["source-shift"] = Scenario.SourceShift,
        ["seasonality"] = Scenario.Seasonality,
        ["concept-drift"] = Scenario.ConceptDrift,
        ["broken-pipeline"] = Scenario.BrokenPipeline,
    };

    /// <summary>The kebab-case name of a scenario.</summary>
    public static string Name(Scenario scenario) => All.First(kv => kv.Value == scenario).Key;

    /// <summary>Parses a scenario name; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public static Scenario Parse(string name) =>
        All.TryGetValue(name, out var s) ? s : throw new ArgumentException($"unknown scenario '{name}'; expected one of: {string.Join(", ", All.Keys)}", nameof(name));
}
