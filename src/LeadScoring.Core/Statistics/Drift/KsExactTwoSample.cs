namespace LeadScoring.Core.Statistics;

/// <summary>
/// The exact two-sided two-sample KS p-value P(D ≥ h/lcm(m, n)) by counting lattice paths from (0, 0) to (m, n)
/// that leave the band |x/m − y/n| &lt; h/lcm, as SciPy does: a closed alternating sum when m = n, otherwise
/// Hodges' inside method rewritten (Viehmann 2021) to carry 1 − p directly so small p-values keep their digits.
/// </summary>
internal static class KsExactTwoSample
{
    public static double PValue(int n1, int n2, long h) =>
        n1 == n2 ? OutsideSquare(n1, h) : OutsideBand(n1, n2, KolmogorovSmirnov.Gcd(n1, n2), h);

    /// <summary>Equal sizes: P = 2 Σ_k (−1)^{k+1} C(2n, n − kh)/C(2n, n), evaluated Horner-style.</summary>
    private static double OutsideSquare(int n, long h)
    {
        var p = 0.0;
        for (var k = (long)Math.Floor(n / (double)h); k >= 0; k--)
        {
            var term = 1.0;
            for (long j = 0; j < h; j++)
            {
                term = (n - (k * h) - j) * term / (n + (k * h) + j + 1);
            }

            p = term * (1.0 - p);
        }

        return 2 * p;
    }

    private static double OutsideBand(int first, int second, int g, long h)
    {
        // Symmetric in the sizes; walk the longer one.
        long m = Math.Max(first, second), n = Math.Min(first, second);
        long mg = m / g, ng = n / g;

        // One column of the path-count table at a time, and only the window of rows inside the band.
        var minJ = 0L;
        var maxJ = Math.Min(CeilDiv(h, mg), n + 1);
        var currentLength = maxJ - minJ;
        var a = new double[Math.Min((2 * maxJ) + 2, n + 1)];
        Array.Fill(a, 1.0);
        Array.Clear(a, (int)minJ, (int)(maxJ - minJ));
        for (long i = 1; i <= m; i++)
        {
            var lastMinJ = minJ;
            var lastLength = currentLength;
            minJ = Math.Min(Math.Max(FloorDiv((ng * i) - h, mg) + 1, 0), n);
            maxJ = Math.Min(CeilDiv((ng * i) + h, mg), n + 1);
            if (maxJ <= minJ)
            {
                return 1.0;
            }

            var value = minJ == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                value = ((a[jj + minJ - lastMinJ] * i) + (value * j)) / (i + j);
                a[jj] = value;
            }

            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
            {
                // Rows that slid out of the window are paths that already left the band.
                var start = (int)(maxJ - minJ);
                var count = (int)Math.Min(lastLength - currentLength, a.Length - start);
                Array.Fill(a, 1.0, start, count);
            }
        }

        return a[maxJ - minJ - 1];
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
