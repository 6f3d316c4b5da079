using System.Text.Json;
using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class KolmogorovSmirnovTests
{
    public static TheoryData<string> NumericCases() => [.. SharedData.StatsReference("drift_numeric.json").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> ScipyTwoSampleCases() => [.. SharedData.LocalFixture("scipy_ks.json").GetProperty("ks_2samp").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Ks_statistic_and_p_value_agree_with_scipy_on_the_shared_reference(string name)
    {
        var c = Json.Case("drift_numeric.json", name);
        var expected = c.GetProperty("expected");

        var result = KolmogorovSmirnov.TwoSample(c.GetProperty("reference").Doubles(), c.GetProperty("current").Doubles());

        Tolerance.Statistic(expected.Number("ks_statistic"), result.Statistic, "KS statistic");
        Tolerance.PValue(expected.Number("ks_pvalue"), result.PValue, "KS p-value");
    }

    [Theory]
    [MemberData(nameof(ScipyTwoSampleCases))]
    public void Ks_agrees_with_scipy_on_exact_and_asymptotic_formula_samples(string name)
    {
        var c = SharedData.LocalFixture("scipy_ks.json").GetProperty("ks_2samp").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var reference = Golden(c.GetProperty("reference"));
        var current = Golden(c.GetProperty("current"));
        var expected = c.GetProperty("expected");

        var result = KolmogorovSmirnov.TwoSample(reference, current);

        Assert.Equal(expected.GetProperty("method").GetString() == "exact" ? KsMethod.Exact : KsMethod.Asymptotic, result.Method);
        Tolerance.Statistic(expected.Number("statistic"), result.Statistic, "KS statistic");
        Tolerance.PValue(expected.Number("pvalue"), result.PValue, "KS p-value");
    }

    [Fact]
    public void Kolmogorov_distribution_agrees_with_scipy_kstwo_on_every_branch()
    {
        var failures = new List<string>();
        var cases = SharedData.LocalFixture("scipy_ks.json").GetProperty("kstwo").EnumerateArray().ToList();
        foreach (var c in cases)
        {
            var n = c.GetProperty("n").GetInt32();
            var x = c.Number("x");
            Check(failures, $"sf(n={n}, x={x:R})", c.Number("sf"), KolmogorovDistribution.Survival(n, x));
            Check(failures, $"cdf(n={n}, x={x:R})", c.Number("cdf"), KolmogorovDistribution.Cumulative(n, x));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count * 2} values disagree:\n" + string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public void Ks_of_a_sample_against_itself_is_zero_with_p_value_one()
    {
        double[] x = [3, 1, 2, 2, 5];

        var result = KolmogorovSmirnov.TwoSample(x, x);

        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Ks_of_all_ties_in_both_samples_is_zero()
    {
        var result = KolmogorovSmirnov.TwoSample([4, 4, 4], [4, 4]);

        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Ks_with_one_value_per_sample_is_one_when_they_differ()
    {
        var result = KolmogorovSmirnov.TwoSample([1.0], [2.0]);

        Assert.Equal(1, result.Statistic);
        Assert.Equal(1, result.PValue, 12);
    }

    [Fact]
    public void Ks_rejects_an_empty_sample_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));
        Assert.Contains("reference is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ks_rejects_nan_with_its_index()
    {
        var error = Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([1.0, 2.0], [0.5, double.NaN]));
        Assert.Contains("current[1] is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ks_statistic_stays_in_the_unit_interval_and_p_value_in_probability_range()
    {
        var rng = new Random(20240611);
        for (var round = 0; round < 200; round++)
        {
            var a = Sample(rng, rng.Next(1, 60), rng.NextDouble());
            var b = Sample(rng, rng.Next(1, 60), 0);

            var result = KolmogorovSmirnov.TwoSample(a, b);

            Assert.InRange(result.Statistic, 0, 1);
            Assert.InRange(result.PValue, 0, 1);
        }
    }

    [Fact]
    public void Ks_is_symmetric_in_its_two_samples()
    {
        var rng = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var a = Sample(rng, rng.Next(1, 200), 0.3);
            var b = Sample(rng, rng.Next(1, 200), 0);

            var ab = KolmogorovSmirnov.TwoSample(a, b);
            var ba = KolmogorovSmirnov.TwoSample(b, a);

            Assert.Equal(ab.Statistic, ba.Statistic);
            Assert.Equal(ab.PValue, ba.PValue, 12);
        }
    }

    private static double[] Sample(Random rng, int n, double shift)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Rounded so that ties occur.
            values[i] = Math.Round((rng.NextDouble() * 3) + shift, 1);
        }

        return values;
    }

    private static double[] Golden(JsonElement spec)
    {
        var n = spec.GetProperty("n").GetInt32();
        var step = spec.Number("step");
        var scale = spec.Number("scale");
        var shift = spec.Number("shift");
        var grid = spec.GetProperty("grid").GetInt32();
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = (i * step) % 1.0;
            if (grid > 0)
            {
                v = Math.Floor(v * grid) / grid;
            }

            values[i] = (v * scale) + shift;
        }

        return values;
    }

    private static void Check(List<string> failures, string what, double expected, double actual)
    {
        var error = Math.Abs(expected - actual);
        if (!(error <= 1e-6 * Math.Abs(expected) || error <= 1e-12))
        {
            failures.Add($"{what}: expected {expected:R}, got {actual:R}");
        }
    }
}
