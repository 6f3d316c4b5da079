namespace LeadScoring.Benchmarks.Statistics;

/// <summary>Seeded synthetic data for the statistics benchmarks.</summary>
internal static class StatisticsData
{
    public static double[] Normal(Random rng, int n, double mean, double sd)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = mean + (sd * Gaussian(rng));
        }

        return values;
    }

    /// <summary>Scores p = logistic(1.5·z − 1) and outcomes drawn with probability p (perfectly calibrated).</summary>
    public static (bool[] Labels, double[] Scores) CalibratedScores(Random rng, int n)
    {
        var labels = new bool[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            var p = 1 / (1 + Math.Exp(-((1.5 * Gaussian(rng)) - 1)));
            scores[i] = p;
            labels[i] = rng.NextDouble() < p;
        }

        return (labels, scores);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
