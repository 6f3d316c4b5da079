namespace LeadScoring.Core.Statistics;

/// <summary>Neumaier's compensated summation: long sums of terms of mixed size without losing the small ones.</summary>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public CompensatedSum(double initial) => _sum = initial;

    public readonly double Value => _sum + _compensation;

    public void Add(double value)
    {
        var t = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
        _sum = t;
    }
}
