namespace LeadScoring.Core.Statistics;

/// <summary>
/// P(Dₙ ≤ d) by Durbin's matrix method as Marsaglia, Tsang and Wang (2003) compute it: write d = (k − h)/n,
/// build the (2k−1)² matrix H, and read the k-th diagonal entry of (n!/nⁿ)·Hⁿ. Intermediate powers are
/// rescaled by 2¹²⁸ with the exponent kept apart, as in SciPy.
/// </summary>
internal static class DurbinMatrix
{
    private const int ScaleExponent = 128;
    private static readonly double Big = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double Small = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cumulative(int n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;

        // v[j] = (1 − h^{j+1})/(j+1)!, w[j] = 1/j!; the last entry of v gets the (2h − 1)^m correction.
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * factorial;

        var matrix = new double[m * m];
        for (var col = 1; col < m; col++)
        {
            for (var row = col - 1; row < m; row++)
            {
                matrix[(row * m) + col] = w[row - col + 1];
            }
        }

        for (var row = 0; row < m; row++)
        {
            matrix[row * m] = v[row];
        }

        for (var col = 0; col < m; col++)
        {
            matrix[((m - 1) * m) + col] = v[m - 1 - col];
        }

        var power = Identity(m);
        var scratch = new double[m * m];
        var exponent = 0;
        var matrixExponent = 0;
        for (var remaining = n; remaining > 0; remaining /= 2)
        {
            if ((remaining & 1) == 1)
            {
                Multiply(power, matrix, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += matrixExponent;
            }

            Multiply(matrix, matrix, scratch, m);
            (matrix, scratch) = (scratch, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[((k - 1) * m) + k - 1]) > Big)
            {
                for (var i = 0; i < matrix.Length; i++)
                {
                    matrix[i] /= Big;
                }

                matrixExponent += ScaleExponent;
            }
        }

        var p = power[((k - 1) * m) + k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Small)
            {
                p *= Big;
                exponent -= ScaleExponent;
            }
        }

        return exponent != 0 ? Math.ScaleB(p, exponent) : p;
    }

    private static double[] Identity(int m)
    {
        var identity = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            identity[(i * m) + i] = 1.0;
        }

        return identity;
    }

    private static void Multiply(double[] a, double[] b, double[] result, int m)
    {
        Array.Clear(result);
        for (var i = 0; i < m; i++)
        {
            var rowOffset = i * m;
            for (var k = 0; k < m; k++)
            {
                var aik = a[rowOffset + k];
                if (aik == 0)
                {
                    continue;
                }

                var bOffset = k * m;
                for (var j = 0; j < m; j++)
                {
                    result[rowOffset + j] += aik * b[bOffset + j];
                }
            }
        }
    }
}
