using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace LeadScoring.Core.Statistics;

/// <summary>Standard normal tail probabilities and quantiles (MathNet), in the forms the tests need.</summary>
internal static class NormalTail
{
    /// <summary>P(|Z| ≥ |z|) = erfc(|z|/√2), accurate far into the tail.</summary>
    public static double TwoSided(double z) => SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>P(Z ≥ z).</summary>
    public static double Upper(double z) => SpecialFunctions.Erfc(z / Math.Sqrt(2)) / 2;

    /// <summary>The standard normal quantile Φ⁻¹(p).</summary>
    public static double Quantile(double p) => Normal.InvCDF(0, 1, p);
}
