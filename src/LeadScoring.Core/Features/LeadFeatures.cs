namespace LeadScoring.Core.Features;

/// <summary>
/// One lead's feature values by schema position, already parsed: <see cref="Numbers"/> holds numeric and
/// boolean features (NaN = missing, booleans 1/0), <see cref="Categories"/> holds categorical features
/// (null = missing). Entries for the other type are unused.
/// </summary>
public sealed class LeadFeatures
{
    /// <summary>Creates empty (all missing) values for a schema with <paramref name="featureCount"/> features.</summary>
    public LeadFeatures(int featureCount)
    {
        Numbers = new double[featureCount];
        Array.Fill(Numbers, double.NaN);
        Categories = new string?[featureCount];
    }

    /// <summary>Numeric and boolean values by schema position; NaN when missing.</summary>
    public double[] Numbers { get; }

    /// <summary>Categorical values by schema position; null when missing.</summary>
    public string?[] Categories { get; }
}
