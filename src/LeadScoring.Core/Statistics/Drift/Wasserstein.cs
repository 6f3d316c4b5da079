using LeadScoring.Core.Profiles;

namespace LeadScoring.Core.Statistics;

/// <summary>
/// The first Wasserstein (earth mover's) distance between two one-dimensional samples: ∫ |U(x) − V(x)| dx over
/// their empirical CDFs (<c>scipy.stats.wasserstein_distance</c>), and its normalised form divided by the
/// reference's population standard deviation so that features on different scales compare.
/// </summary>
public static class Wasserstein
{
    /// <summary>
    /// The smallest scale the normalised distance divides by: a constant reference (std 0) would otherwise
    /// divide by zero. 0.001 is Evidently's floor.
    /// </summary>
    public const double MinimumScale = 1e-3;

    /// <summary>W₁ between two raw samples (sorts copies).</summary>
    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        Distance(SortedSample.From(u, nameof(u)), SortedSample.From(v, nameof(v)));

    /// <summary>W₁ between two sorted samples in one O(n₁ + n₂) merge.</summary>
    public static double Distance(SortedSample u, SortedSample v)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        SampleGuard.NotEmpty(u.Count, nameof(u));
        SampleGuard.NotEmpty(v.Count, nameof(v));
        var a = u.Values;
        var b = v.Values;
        long nu = a.Length, nv = b.Length;
        var scale = 1.0 / ((double)nu * nv);
        int i = 0, j = 0;
        var sum = new CompensatedSum(0);
        var x = Math.Min(a[0], b[0]);
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            if (i == a.Length && j == b.Length)
            {
                break;
            }

            var next = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            var gap = Math.Abs((i * nv) - (j * nu));
            if (gap != 0)
            {
                sum.Add(gap * scale * (next - x));
            }

            x = next;
        }

        return sum.Value;
    }

    /// <summary>W₁ divided by the reference's population standard deviation (floored at <see cref="MinimumScale"/>).</summary>
    public static double Normalised(SortedSample reference, SortedSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Distance(reference, current) / Math.Max(reference.PopulationStdDev(), MinimumScale);
    }

    /// <summary>
    /// Approximate normalised W₁ against a stored profile: the reference quantile function is the straight-line
    /// interpolation of its 101 percentiles, the current one is exact, and ∫₀¹ |Q_ref(u) − Q_cur(u)| du is
    /// integrated exactly between them. The error is at most about one percentile step in the tails.
    /// </summary>
    public static double Normalised(NumericProfile reference, SortedSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var sketch = PercentileSketch.Of(reference);
        SampleGuard.NotEmpty(current.Count, nameof(current));
        return sketch.WassersteinTo(current.Values) / Math.Max(reference.StdDev, MinimumScale);
    }
}
