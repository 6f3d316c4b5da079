using BenchmarkDotNet.Attributes;
using LeadScoring.Core.Deployments;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;

namespace LeadScoring.Benchmarks.Serving;

/// <summary>
/// What serving arms add per lead on the scoring path: the sticky assignment (one SHA-256 of a short string) and the
/// arm counters (a dictionary lookup and three Interlocked increments).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ArmBenchmarks
{
    private readonly string[] _leads = Enumerable.Range(0, 1024).Select(i => $"crm-{i:D7}").ToArray();
    private readonly ArmCounters _counters = new(TimeProvider.System);
    private int _next;

    /// <summary>A lead's sticky position (what picks its arm).</summary>
    [Benchmark]
    public double StickyPosition() => StickyAssignment.Position("0f1e2d3c4b5a69788796a5b4c3d2e1f0", _leads[_next++ & 1023]);

    /// <summary>Counting one lead for its deployment, arm and minute.</summary>
    [Benchmark]
    public void CountLead() => _counters.Record(7, (ServingArm)(_next++ & 1), 250 + (_next & 1023));

    /// <summary>The latency histogram's bucket of one latency.</summary>
    [Benchmark]
    public int HistogramBucket() => LatencyHistogram.BucketOf(250 + (_next++ & 4095));
}
