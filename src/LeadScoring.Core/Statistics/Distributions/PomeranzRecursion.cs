namespace LeadScoring.Core.Statistics;

/// <summary>
/// P(Dₙ ≤ x) by Pomeranz's (1974) recursion: 2n + 1 rows, each the convolution of the previous row with one of
/// three (unnormalised) Poisson weight vectors; only a short window of each row is non-zero. Used for n ≤ 140.
/// </summary>
internal static class PomeranzRecursion
{
    private const int ScaleExponent = 128;
    private static readonly double Big = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double Small = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cumulative(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var powers = 2 * (ll + 1);
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinusTwoGPower = new double[powers];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1;
        int v0Start = 0, v1Start = 0;
        var exponent = 0;
        var (j1, j2) = Window(0, n, ll, ceilf, roundf);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0Start, v1Start) = (v1Start, v0Start);
            Array.Clear(v1);
            (j1, j2) = Window(i, n, ll, ceilf, roundf);
            var weights = i == 1 || i == (2 * n) + 1 ? gPower : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower);
            var length = j2 - k1 + 1;
            if (length > 0)
            {
                // v1[c] = (v0[k1 − v0Start ..] ⊛ weights)[j1 − k1 + c] for c in 0 … j2 − j1.
                var offset = k1 - v0Start;
                var convStart = j1 - k1;
                var convLength = j2 - j1 + 1;
                var max = 0.0;
                for (var c = 0; c < convLength; c++)
                {
                    var index = convStart + c;
                    var sum = 0.0;
                    for (var a = Math.Max(0, index - length + 1); a <= Math.Min(index, length - 1); a++)
                    {
                        var source = offset + a;
                        if (source >= 0 && source < powers)
                        {
                            sum += v0[source] * weights[index - a];
                        }
                    }

                    v1[c] = sum;
                    max = Math.Max(max, sum);
                }

                if (max > 0 && max < Small)
                {
                    for (var c = 0; c < v1.Length; c++)
                    {
                        v1[c] *= Big;
                    }

                    exponent -= ScaleExponent;
                }

                v1Start = v0Start + j1 - k1;
            }
        }

        var answer = v1[n - v1Start];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > Big)
            {
                answer *= Small;
                exponent += ScaleExponent;
            }

            answer *= m;
        }

        return exponent != 0 ? Math.ScaleB(answer, exponent) : answer;
    }

    private static (int J1, int J2) Window(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }
}
