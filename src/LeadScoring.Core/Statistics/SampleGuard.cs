namespace LeadScoring.Core.Statistics;

/// <summary>Argument checks shared by the statistics: NaN and empty inputs get one clear message.</summary>
internal static class SampleGuard
{
    public static void Finite(ReadOnlySpan<double> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; statistics need finite numbers (filter missing values first)", name);
            }
        }
    }

    public static void NotEmpty(int length, string name)
    {
        if (length == 0)
        {
            throw new ArgumentException($"{name} is empty; at least one value is needed", name);
        }
    }

    public static void SameLength(int a, int b, string nameA, string nameB)
    {
        if (a != b)
        {
            throw new ArgumentException($"{nameA} has {a} values but {nameB} has {b}; they must pair up one to one", nameB);
        }
    }

    public static void Probabilities(ReadOnlySpan<double> scores, string name)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (!(scores[i] >= 0 && scores[i] <= 1))
            {
                throw new ArgumentException($"{name}[{i}] is {scores[i]}; a probability must lie in [0, 1]", name);
            }
        }
    }

    public static void NonNegative(ReadOnlySpan<long> counts, string name)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException($"{name}[{i}] is {counts[i]}; counts cannot be negative", name);
            }
        }
    }

    public static void Probability(double value, string name, bool allowZero = false, bool allowOne = false)
    {
        var ok = (allowZero ? value >= 0 : value > 0) && (allowOne ? value <= 1 : value < 1);
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in {(allowZero ? "[" : "(")}0, 1{(allowOne ? "]" : ")")}");
        }
    }

    public static void Count(long successes, long trials, string successesName, string trialsName)
    {
        if (trials <= 0)
        {
            throw new ArgumentOutOfRangeException(trialsName, trials, $"{trialsName} must be positive");
        }

        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(successesName, successes, $"{successesName} must lie in [0, {trialsName} = {trials}]");
        }
    }
}
