using BenchmarkDotNet.Attributes;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Benchmarks.Statistics;

/// <summary>Drift over a day of heavy traffic: 1,000,000 reference vs 1,000,000 current doubles.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class StatisticsDriftBenchmarks
{
    private const int N = 1_000_000;
    private double[] _reference = [];
    private double[] _current = [];
    private NumericProfile _profile = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _reference = StatisticsData.Normal(rng, N, 0, 1);
        _current = StatisticsData.Normal(rng, N, 0.05, 1.1);
        _profile = ProfileBuilder.OfNumbers("x", _reference);
    }

    /// <summary>PSI (reference decile bins) and the two-sample KS test, from raw arrays: both samples sorted once.</summary>
    [Benchmark]
    public (double Psi, double Ks, double P) PsiAndKs()
    {
        var reference = SortedSample.From(_reference);
        var current = SortedSample.From(_current);
        var edges = Quantiles.BinEdges(reference);
        var psi = Divergence.Psi(Quantiles.CountSortedInBins(reference, edges), Quantiles.CountSortedInBins(current, edges));
        var ks = KolmogorovSmirnov.TwoSample(reference, current);
        return (psi, ks.Statistic, ks.PValue);
    }

    /// <summary>Everything a numeric feature reports: PSI, KL, JS, KS and normalised Wasserstein.</summary>
    [Benchmark]
    public FeatureDriftReport NumericFeatureDrift() => FeatureDrift.Numeric("x", _reference, _current);

    /// <summary>The same against a stored reference profile (only the current sample is sorted).</summary>
    [Benchmark]
    public FeatureDriftReport NumericFeatureDriftFromProfile() => FeatureDrift.Numeric(_profile, SortedSample.From(_current));
}
