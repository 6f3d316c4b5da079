using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class DriftReferenceTests
{
    public static TheoryData<string> NumericCases() => [.. SharedData.StatsReference("drift_numeric.json").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> CategoricalCases() => [.. SharedData.StatsReference("drift_categorical.json").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Numeric_drift_agrees_with_numpy_and_scipy(string name)
    {
        var c = Json.Case("drift_numeric.json", name);
        var expected = c.GetProperty("expected");

        var report = FeatureDrift.Numeric(name, c.GetProperty("reference").Doubles(), c.GetProperty("current").Doubles());

        Assert.Equal(expected.GetProperty("bin_edges").Doubles(), report.Bins.Edges);
        Assert.Equal(expected.GetProperty("reference_counts").Longs(), report.Bins.ReferenceCounts);
        Assert.Equal(expected.GetProperty("current_counts").Longs(), report.Bins.CurrentCounts);
        Tolerance.Statistic(expected.Number("psi"), report.Get(DriftMethod.PopulationStabilityIndex).Statistic, "PSI");
        Tolerance.Statistic(expected.Number("kl"), report.Get(DriftMethod.KullbackLeibler).Statistic, "KL");
        Tolerance.Statistic(expected.Number("js_distance"), report.Get(DriftMethod.JensenShannonDistance).Statistic, "JS distance");
        Tolerance.Statistic(expected.Number("ks_statistic"), report.Get(DriftMethod.KolmogorovSmirnov).Statistic, "KS statistic");
        Tolerance.PValue(expected.Number("ks_pvalue"), report.Get(DriftMethod.KolmogorovSmirnov).PValue!.Value, "KS p-value");
        Tolerance.Statistic(expected.Number("wasserstein_normalised"), report.Get(DriftMethod.NormalisedWasserstein).Statistic, "normalised Wasserstein");
    }

    [Theory]
    [MemberData(nameof(CategoricalCases))]
    public void Categorical_drift_agrees_with_scipy(string name)
    {
        var c = Json.Case("drift_categorical.json", name);
        var expected = c.GetProperty("expected");

        var report = FeatureDrift.Categorical(name, c.GetProperty("reference").Strings(), c.GetProperty("current").Strings());

        Assert.Equal(expected.GetProperty("categories").Strings(), report.Bins.Labels);
        Assert.Equal(expected.GetProperty("reference_counts").Longs(), report.Bins.ReferenceCounts);
        Assert.Equal(expected.GetProperty("current_counts").Longs(), report.Bins.CurrentCounts);
        Tolerance.Statistic(expected.Number("psi"), report.Get(DriftMethod.PopulationStabilityIndex).Statistic, "PSI");
        Tolerance.Statistic(expected.Number("kl"), report.Get(DriftMethod.KullbackLeibler).Statistic, "KL");
        Tolerance.Statistic(expected.Number("js_distance"), report.Get(DriftMethod.JensenShannonDistance).Statistic, "JS distance");
        var chi = ChiSquareTest.Homogeneity(report.Bins.ReferenceCounts, report.Bins.CurrentCounts);
        Tolerance.Statistic(expected.Number("chi2_statistic"), chi.Statistic, "chi-square statistic");
        Tolerance.PValue(expected.Number("chi2_pvalue"), chi.PValue, "chi-square p-value");
        Assert.Equal(expected.GetProperty("chi2_dof").GetInt32(), chi.DegreesOfFreedom);
        Assert.Equal(chi.Statistic, report.Get(DriftMethod.ChiSquare).Statistic);
    }

    [Fact]
    public void Chi_square_p_values_keep_relative_precision_far_in_the_tail()
    {
        // source-shift: 2.87e-92 in SciPy; the README's absolute floor would accept 0, so check the digits too.
        var c = Json.Case("drift_categorical.json", "source-shift");
        var expected = c.GetProperty("expected");

        var chi = ChiSquareTest.Homogeneity(expected.GetProperty("reference_counts").Longs(), expected.GetProperty("current_counts").Longs());

        Tolerance.Relative(expected.Number("chi2_pvalue"), chi.PValue, 1e-6, 0, "chi-square tail p-value");
    }
}
