namespace LeadScoring.Core.Schema;

/// <summary>One model input column: its name in the data file (and in scoring requests) and its type.</summary>
/// <param name="Name">The column header, exactly as in the file.</param>
/// <param name="Type">How the value is parsed.</param>
public sealed record FeatureSpec(string Name, FeatureType Type);

/// <summary>A column deliberately left out of the model, with the reason (kept so the choice is reviewable).</summary>
/// <param name="Name">The column header.</param>
/// <param name="Reason">Why it is excluded, e.g. "filled in by sales after contact: leaks the label".</param>
public sealed record ExcludedColumn(string Name, string Reason);
