using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Data;

/// <summary>The values of one feature for every row of a <see cref="LeadTable"/>.</summary>
public abstract class FeatureColumn(FeatureSpec spec)
{
    /// <summary>The feature these values belong to.</summary>
    public FeatureSpec Spec { get; } = spec;
}

/// <summary>Numeric and boolean features: a number per row, NaN when missing (booleans are 1 or 0).</summary>
public sealed class NumericColumn(FeatureSpec spec, double[] values) : FeatureColumn(spec)
{
    /// <summary>One value per row; NaN means missing.</summary>
    public double[] Values { get; } = values;
}

/// <summary>Categorical features: a category per row, null when missing.</summary>
public sealed class CategoricalColumn(FeatureSpec spec, string?[] values) : FeatureColumn(spec)
{
    /// <summary>One value per row; null means missing. Case variants share one instance (the first seen).</summary>
    public string?[] Values { get; } = values;
}
