using BenchmarkDotNet.Attributes;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Benchmarks.Statistics;

/// <summary>Model-quality metrics over 1,000,000 scored leads.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class StatisticsMetricsBenchmarks
{
    private const int N = 1_000_000;
    private bool[] _labels = [];
    private double[] _scores = [];
    private double[] _challenger = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        (_labels, _scores) = StatisticsData.CalibratedScores(rng, N);
        _challenger = new double[N];
        for (var i = 0; i < N; i++)
        {
            _challenger[i] = Math.Clamp(_scores[i] + (0.1 * (rng.NextDouble() - 0.5)), 0, 1);
        }
    }

    /// <summary>ROC AUC with exact tie handling.</summary>
    [Benchmark]
    public double RocAuc() => ClassificationMetrics.RocAuc(_labels, _scores);

    /// <summary>DeLong test of two correlated AUCs.</summary>
    [Benchmark]
    public DeLongResult DeLongTest() => DeLong.Compare(_labels, _scores, _challenger);

    /// <summary>Label-free estimate of AUC, precision and recall.</summary>
    [Benchmark]
    public PerformanceMetrics Cbpe() => ConfidenceBasedPerformanceEstimation.Estimate(_scores, 0.5);
}
