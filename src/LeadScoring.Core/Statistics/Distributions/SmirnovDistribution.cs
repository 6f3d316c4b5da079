namespace LeadScoring.Core.Statistics;

/// <summary>
/// The one-sided Kolmogorov–Smirnov statistic Dₙ⁺ (SciPy's <c>smirnov</c>): the Smirnov/Birnbaum–Tingey sum
/// P(Dₙ⁺ ≥ x) = x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}, evaluated term by term in
/// logarithms (SciPy uses double-double arithmetic; plain doubles with logs keep ~1e−10 relative accuracy here).
/// </summary>
internal static class SmirnovDistribution
{
    // exp() of anything below cephes' MINLOG underflows.
    private const double MinLog = -7.08396418532264106224e2;
    private const int MaxComputeN = 1000000;
    private const double Epsilon = 2.220446049250313e-16;

    public static double Survival(int n, double x)
    {
        if (n == 1)
        {
            return 1 - x;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        // floor(n·x) and its remainder, exactly (the product's rounding error comes back through an FMA).
        var nxHigh = n * x;
        var nxLow = Math.FusedMultiplyAdd(n, x, -nxHigh);
        var nxFloorD = Math.Floor(nxHigh);
        if (nxFloorD == nxHigh && nxLow < 0)
        {
            nxFloorD -= 1;
        }

        var alpha = (nxHigh - nxFloorD) + nxLow;
        var nxFloor = (int)nxFloorD;
        if (alpha >= 1)
        {
            nxFloor += 1;
            alpha = 0;
        }

        var lowerLast = n - nxFloor - (alpha == 0 ? 0 : 1);
        var upperFirst = n - nxFloor;
        if (alpha == 0)
        {
            // x·n is an integer: that boundary term belongs to neither sum.
            lowerLast -= 1;
            upperFirst += 1;
        }

        if (nxFloor == 0 || (nxFloor == 1 && alpha == 0))
        {
            // x ≤ 1/n: closed form CDF = x (1 + x)^{n−1}.
            return 1 - (x * Math.Pow(1 + x, n - 1));
        }

        if (-2 * n * x * x < MinLog)
        {
            return 0.0;
        }

        if (nxFloor >= n - 1)
        {
            return Math.Pow(1 - x, n);
        }

        if (n > MaxComputeN)
        {
            // SciPy's approximation p ≈ exp(−(6nx + 1)² / 18n) for very large n.
            var logp = -Math.Pow((6.0 * n * x) + 1, 2) / 18.0 / n;
            return logp < -Math.Log(2) ? Math.Exp(logp) : 1 + PreciseMath.ExpM1(logp);
        }

        // The upper sum (terms alternate in sign) is only used when it has very few terms.
        var upperTerms = n - upperFirst + 1;
        var useUpper = (upperTerms <= 1 && x < 0.5) || (n >= 10 && upperTerms <= 3 && x <= 0.5 / Math.Sqrt(n));
        var sum = useUpper ? UpperSum(n, x, nxFloor, alpha, upperTerms) : LowerSum(n, x, nxFloor, alpha, lowerLast + 1);
        var prob = x * sum;
        return Math.Clamp(useUpper ? 1 - prob : prob, 0.0, 1.0);
    }

    private static double LowerSum(int n, double x, int nxFloor, double alpha, int terms)
    {
        // v = 0 term: (1 − x)ⁿ / x.
        var first = Math.Exp(n * PreciseMath.Log1P(-x)) / x;
        var sum = new CompensatedSum(first);
        var logBinomial = 0.0;
        for (var v = 1; v < terms; v++)
        {
            logBinomial += Math.Log((double)(n - v + 1) / v);
            var term = Term(n, v, nxFloor, alpha, logBinomial);
            if (term != 0)
            {
                sum.Add(term);
                // Stop once the remaining terms cannot move the sum (SciPy's rule).
                if (4.0 * (terms - v) * Math.Abs(term) < Epsilon * sum.Value && v != terms - 1)
                {
                    break;
                }
            }
            else if (v > n / 2)
            {
                break;
            }
        }

        return sum.Value;
    }

    private static double UpperSum(int n, double x, int nxFloor, double alpha, int terms)
    {
        // v = n term: (1 + x)^{n−1}.
        var sum = new CompensatedSum(Math.Pow(1 + x, n - 1));
        var logBinomial = 0.0;
        for (var j = 1; j < terms; j++)
        {
            var v = n - j;
            logBinomial += Math.Log((double)(n - j + 1) / j);
            sum.Add(Term(n, v, nxFloor, alpha, logBinomial));
        }

        return sum.Value;
    }

    /// <summary>C(n,v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}, with x + v/n and 1 − x − v/n formed from floor(nx) and its remainder.</summary>
    private static double Term(int n, int v, int nxFloor, double alpha, double logBinomial)
    {
        var up = (v + nxFloor + alpha) / n;
        var down = (n - v - nxFloor - alpha) / n;
        if (down == 0)
        {
            return 0;
        }

        var logMagnitude = logBinomial + ((v - 1) * Math.Log(up)) + ((n - v) * Math.Log(Math.Abs(down)));
        var magnitude = Math.Exp(logMagnitude);
        return down < 0 && ((n - v) & 1) == 1 ? -magnitude : magnitude;
    }

}
