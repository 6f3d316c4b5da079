namespace LeadScoring.Core.Statistics;

/// <summary>
/// The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ = supₓ |Fₙ(x) − F(x)| for a
/// sample of n values (SciPy's <c>kstwo</c>), which is also what the asymptotic two-sample test evaluates at
/// n = round(n₁n₂/(n₁+n₂)). MathNet has no Kolmogorov distribution, so this follows Simard and L'Ecuyer (2011)
/// exactly as SciPy 1.10 does: the method (Ruben–Gambino closed forms, the Durbin matrix, Pomeranz's recursion,
/// the Pelz–Good expansion or twice the one-sided Smirnov tail) is chosen from n and n·x².
/// </summary>
public static class KolmogorovDistribution
{
    /// <summary>P(Dₙ ≥ <paramref name="x"/>): the p-value of an observed statistic x.</summary>
    public static double Survival(int n, double x) => Evaluate(n, x, cdf: false);

    /// <summary>P(Dₙ ≤ <paramref name="x"/>).</summary>
    public static double Cumulative(int n, double x) => Evaluate(n, x, cdf: true);

    private static double Evaluate(int n, double x, bool cdf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (double.IsNaN(x))
        {
            throw new ArgumentException("the statistic is NaN", nameof(x));
        }

        // Outside the support [1/(2n), 1] the answer is certain (SciPy's rv_continuous does the same).
        if (x <= 0.5 / n)
        {
            return cdf ? 0.0 : 1.0;
        }

        if (x >= 1.0)
        {
            return cdf ? 1.0 : 0.0;
        }

        return Clip(Kolmogn(n, x, cdf));
    }

    private static double Kolmogn(int n, double x, bool cdf)
    {
        var t = n * x;
        if (t <= 1.0)
        {
            // Ruben–Gambino: for 1/(2n) < x ≤ 1/n the CDF is n!/nⁿ · (2t − 1)ⁿ.
            double p;
            if (n <= 140)
            {
                p = 1.0;
                for (var i = 1; i <= n; i++)
                {
                    p *= i * (1.0 / n) * ((2 * t) - 1);
                }
            }
            else
            {
                p = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            }

            return cdf ? p : 1.0 - p;
        }

        if (t >= n - 1)
        {
            // Ruben–Gambino at the top end: the SF is 2(1 − x)ⁿ.
            var sf = 2 * Math.Pow(1.0 - x, n);
            return cdf ? 1 - sf : sf;
        }

        if (x >= 0.5)
        {
            // Both one-sided excursions cannot happen together, so the SF is exactly twice Smirnov's.
            var sf = 2 * SmirnovDistribution.Survival(n, x);
            return cdf ? 1.0 - sf : sf;
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                var p = DurbinMatrix.Cumulative(n, x);
                return cdf ? p : 1.0 - p;
            }

            if (nxSquared <= 4)
            {
                var p = PomeranzRecursion.Cumulative(n, x);
                return cdf ? p : 1.0 - p;
            }

            var tail = 2 * SmirnovDistribution.Survival(n, x);
            return cdf ? 1.0 - tail : tail;
        }

        // The SF and CDF switch methods at different points: the tail is taken directly where 1 − CDF would cancel.
        if (!cdf)
        {
            if (nxSquared >= 370.0)
            {
                return 0.0;
            }

            if (nxSquared >= 2.2)
            {
                return 2 * SmirnovDistribution.Survival(n, x);
            }
        }

        double cumulative;
        if (nxSquared >= 18.0)
        {
            cumulative = 1.0;
        }
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4)
        {
            cumulative = DurbinMatrix.Cumulative(n, x);
        }
        else
        {
            cumulative = PelzGood.Cumulative(n, x);
        }

        return cdf ? cumulative : 1.0 - cumulative;
    }

    /// <summary>log(n!/nⁿ) by Stirling's series with n·log n taken out up front, so nothing cancels.</summary>
    internal static double LogFactorialOverPower(int n)
    {
        ReadOnlySpan<double> stirling =
        [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ];
        var rn = 1.0 / n;
        var u = rn / n;
        var poly = 0.0;
        foreach (var c in stirling)
        {
            poly = (poly * u) + c;
        }

        return (Math.Log(n) / 2) - n + (Math.Log(2 * Math.PI) / 2) + (rn * poly);
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);
}
