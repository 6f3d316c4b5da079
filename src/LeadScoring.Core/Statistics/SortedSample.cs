namespace LeadScoring.Core.Statistics;

/// <summary>
/// A numeric sample sorted once (ascending, NaN rejected) so that several statistics — KS, Wasserstein,
/// bin counts, quantiles — can share one O(n log n) sort instead of each sorting again.
/// </summary>
public sealed class SortedSample
{
    private readonly double[] _values;

    private SortedSample(double[] sortedValues) => _values = sortedValues;

    /// <summary>The values, ascending.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Number of values.</summary>
    public int Count => _values.Length;

    /// <summary>Copies and sorts <paramref name="values"/>; throws on NaN or infinity with the offending index.</summary>
    public static SortedSample From(ReadOnlySpan<double> values, string name = "values")
    {
        SampleGuard.Finite(values, name);
        var copy = values.ToArray();
        Array.Sort(copy);
        return new SortedSample(copy);
    }

    /// <summary>Wraps values the caller guarantees are finite and ascending (checked, O(n)); the array is not copied.</summary>
    public static SortedSample FromSorted(double[] ascending, string name = "values")
    {
        ArgumentNullException.ThrowIfNull(ascending);
        SampleGuard.Finite(ascending, name);
        for (var i = 1; i < ascending.Length; i++)
        {
            if (ascending[i] < ascending[i - 1])
            {
                throw new ArgumentException($"{name} is not ascending at index {i}", name);
            }
        }

        return new SortedSample(ascending);
    }

    /// <summary>Mean of the values (NaN when empty).</summary>
    public double Mean()
    {
        if (_values.Length == 0)
        {
            return double.NaN;
        }

        var sum = new CompensatedSum(0);
        foreach (var v in _values)
        {
            sum.Add(v);
        }

        return sum.Value / _values.Length;
    }

    /// <summary>Population standard deviation (ddof = 0, NumPy's default; NaN when empty).</summary>
    public double PopulationStdDev()
    {
        var mean = Mean();
        var sum = new CompensatedSum(0);
        foreach (var v in _values)
        {
            var d = v - mean;
            sum.Add(d * d);
        }

        return Math.Sqrt(sum.Value / _values.Length);
    }
}
