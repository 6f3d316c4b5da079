using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace LeadScoring.Core.Statistics;

/// <summary>Student t tail probabilities (MathNet's incomplete beta) and quantiles.</summary>
internal static class StudentTail
{
    /// <summary>P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2), with no 1 − CDF cancellation.</summary>
    public static double TwoSided(double t, double df) => SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + (t * t)));

    /// <summary>The quantile of Student's t with <paramref name="df"/> degrees of freedom.</summary>
    public static double Quantile(double p, double df) => StudentT.InvCDF(0, 1, df, p);
}
