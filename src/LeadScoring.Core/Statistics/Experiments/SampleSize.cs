namespace LeadScoring.Core.Statistics;

/// <summary>Sample size and power of a two-sided two-proportion test (normal approximation).</summary>
public static class SampleSize
{
    /// <summary>
    /// Leads per arm to detect a relative lift of <paramref name="relativeLift"/> on
    /// <paramref name="baselineRate"/> with a two-sided test at <paramref name="alpha"/> and the given
    /// <paramref name="power"/>: n = ⌈(z₁₋α/₂·√(2p̄(1−p̄)) + z_power·√(p₀(1−p₀) + p₁(1−p₁)))² / (p₁ − p₀)²⌉,
    /// p₁ = p₀(1 + lift), p̄ = (p₀ + p₁)/2.
    /// </summary>
    public static long PerArm(double baselineRate, double relativeLift, double alpha = 0.05, double power = 0.8)
    {
        var (p0, p1) = Rates(baselineRate, relativeLift);
        SampleGuard.Probability(alpha, nameof(alpha));
        SampleGuard.Probability(power, nameof(power));
        var pBar = (p0 + p1) / 2;
        var zAlpha = NormalTail.Quantile(1 - (alpha / 2));
        var zPower = NormalTail.Quantile(power);
        var root = (zAlpha * Math.Sqrt(2 * pBar * (1 - pBar))) + (zPower * Math.Sqrt((p0 * (1 - p0)) + (p1 * (1 - p1))));
        return (long)Math.Ceiling(root * root / ((p1 - p0) * (p1 - p0)));
    }

    /// <summary>The power of the same test with <paramref name="leadsPerArm"/> leads in each arm (the inverse of <see cref="PerArm"/>).</summary>
    public static double Power(long leadsPerArm, double baselineRate, double relativeLift, double alpha = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leadsPerArm, 1);
        var (p0, p1) = Rates(baselineRate, relativeLift);
        SampleGuard.Probability(alpha, nameof(alpha));
        var pBar = (p0 + p1) / 2;
        var zAlpha = NormalTail.Quantile(1 - (alpha / 2));
        var zPower = ((Math.Abs(p1 - p0) * Math.Sqrt(leadsPerArm)) - (zAlpha * Math.Sqrt(2 * pBar * (1 - pBar)))) / Math.Sqrt((p0 * (1 - p0)) + (p1 * (1 - p1)));
        return 1 - NormalTail.Upper(zPower);
    }

    private static (double P0, double P1) Rates(double baselineRate, double relativeLift)
    {
        SampleGuard.Probability(baselineRate, nameof(baselineRate));
        var p1 = baselineRate * (1 + relativeLift);
        if (relativeLift == 0 || !(p1 > 0 && p1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeLift), relativeLift, $"the lift must be non-zero and keep the treated rate {p1} inside (0, 1)");
        }

        return (baselineRate, p1);
    }
}
