namespace LeadScoring.Core.Statistics;

/// <summary>How the two-sample KS p-value is computed.</summary>
public enum KsMethod
{
    /// <summary>Exact when both samples have at most 10,000 values, asymptotic otherwise (SciPy's <c>method="auto"</c>).</summary>
    Auto,

    /// <summary>The exact permutation distribution of the statistic (falls back to asymptotic when lcm(n₁, n₂) is too large).</summary>
    Exact,

    /// <summary>The one-sample Kolmogorov distribution at n = round(n₁n₂/(n₁+n₂)).</summary>
    Asymptotic,
}

/// <summary>A two-sample Kolmogorov–Smirnov test result.</summary>
/// <param name="Statistic">D = supₓ |F_reference(x) − F_current(x)|, in [0, 1].</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="Method">The method actually used (never <see cref="KsMethod.Auto"/>).</param>
/// <param name="ReferenceCount">Reference sample size.</param>
/// <param name="CurrentCount">Current sample size.</param>
public sealed record KsResult(double Statistic, double PValue, KsMethod Method, long ReferenceCount, long CurrentCount);

/// <summary>
/// The two-sample Kolmogorov–Smirnov test, matching <c>scipy.stats.ks_2samp(reference, current, method="auto")</c>.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Largest sample for which <see cref="KsMethod.Auto"/> uses the exact distribution (SciPy's MAX_AUTO_N).</summary>
    public const int MaxExactSampleSize = 10000;

    /// <summary>Tests whether two raw samples come from one distribution (sorts copies of both).</summary>
    public static KsResult TwoSample(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, KsMethod method = KsMethod.Auto) =>
        TwoSample(SortedSample.From(reference, nameof(reference)), SortedSample.From(current, nameof(current)), method);

    /// <summary>Tests whether two sorted samples come from one distribution: O(n₁ + n₂) for the statistic.</summary>
    public static KsResult TwoSample(SortedSample reference, SortedSample current, KsMethod method = KsMethod.Auto)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        SampleGuard.NotEmpty(reference.Count, nameof(reference));
        SampleGuard.NotEmpty(current.Count, nameof(current));
        var maxGap = MaxCdfGap(reference.Values, current.Values);
        return FromGap(maxGap, reference.Count, current.Count, method);
    }

    /// <summary>
    /// The p-value for a statistic <paramref name="d"/> observed between samples of <paramref name="n1"/> and
    /// <paramref name="n2"/> values (for statistics computed elsewhere, e.g. from a percentile sketch).
    /// </summary>
    public static double PValue(double d, int n1, int n2, KsMethod method = KsMethod.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n1, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n2, 1);
        if (!(d >= 0 && d <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "a KS statistic lies in [0, 1]");
        }

        var resolved = Resolve(method, n1, n2);
        return resolved == KsMethod.Exact
            ? KsExactTwoSample.PValue(n1, n2, (long)Math.Round(d * ((long)n1 / Gcd(n1, n2) * n2)))
            : Asymptotic(d, n1, n2);
    }

    private static KsResult FromGap(long maxGap, int n1, int n2, KsMethod method)
    {
        // The gap is |i·n₂ − j·n₁| for counts i, j at or below a point; D = gap/(n₁n₂) = h/lcm with h = gap/gcd.
        var resolved = Resolve(method, n1, n2);
        double d;
        double p;
        if (resolved == KsMethod.Exact)
        {
            var g = Gcd(n1, n2);
            var h = maxGap / g;
            d = h / (double)((long)n1 / g * n2);
            p = h == 0 ? 1.0 : KsExactTwoSample.PValue(n1, n2, h);
        }
        else
        {
            d = maxGap / ((double)n1 * n2);
            p = Asymptotic(d, n1, n2);
        }

        return new KsResult(d, Math.Clamp(p, 0.0, 1.0), resolved, n1, n2);
    }

    private static KsMethod Resolve(KsMethod method, int n1, int n2)
    {
        switch (method)
        {
            case KsMethod.Auto:
                return Math.Max(n1, n2) <= MaxExactSampleSize ? KsMethod.Exact : KsMethod.Asymptotic;
            case KsMethod.Exact:
                var g = Gcd(n1, n2);
                return n1 / g >= int.MaxValue / (double)(n2 / g) ? KsMethod.Asymptotic : KsMethod.Exact;
            case KsMethod.Asymptotic:
                return KsMethod.Asymptotic;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown KS method");
        }
    }

    private static double Asymptotic(double d, int n1, int n2)
    {
        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        return KolmogorovDistribution.Survival((int)Math.Round(en, MidpointRounding.ToEven), d);
    }

    /// <summary>max |i·n₂ − j·n₁| over the distinct values, i and j counting each sample at or below the value.</summary>
    internal static long MaxCdfGap(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        long n1 = a.Length, n2 = b.Length;
        int i = 0, j = 0;
        long best = 0;
        while (i < a.Length || j < b.Length)
        {
            var value = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= value)
            {
                i++;
            }

            while (j < b.Length && b[j] <= value)
            {
                j++;
            }

            var gap = Math.Abs((i * n2) - (j * n1));
            if (gap > best)
            {
                best = gap;
            }
        }

        return best;
    }

    internal static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
