using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class DriftEdgeCaseTests
{
    [Fact]
    public void Psi_of_a_sample_against_itself_is_zero()
    {
        var rng = new Random(11);
        for (var round = 0; round < 100; round++)
        {
            var x = Normal(rng, rng.Next(1, 400), 0, 1 + rng.NextDouble());

            var report = FeatureDrift.Numeric("x", x, x);

            Assert.Equal(0, report.Psi.Statistic);
            Assert.Equal(0, report.Get(DriftMethod.KullbackLeibler).Statistic);
            Assert.Equal(0, report.Get(DriftMethod.JensenShannonDistance).Statistic);
            Assert.Equal(0, report.Get(DriftMethod.NormalisedWasserstein).Statistic);
            Assert.Equal(DriftSeverity.None, report.Severity);
        }
    }

    [Fact]
    public void Psi_is_never_negative()
    {
        var rng = new Random(12);
        for (var round = 0; round < 300; round++)
        {
            var bins = rng.Next(1, 12);
            var reference = new long[bins];
            var current = new long[bins];
            for (var i = 0; i < bins; i++)
            {
                reference[i] = rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 1000);
                current[i] = rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 1000);
            }

            reference[0] += 1;
            current[^1] += 1;

            Assert.True(Divergence.Psi(reference, current) >= 0);
        }
    }

    [Fact]
    public void Psi_severity_follows_the_configured_bands()
    {
        var options = DriftOptions.Default;

        Assert.Equal(DriftSeverity.None, options.PsiSeverity(0.0999));
        Assert.Equal(DriftSeverity.Warning, options.PsiSeverity(0.1));
        Assert.Equal(DriftSeverity.Warning, options.PsiSeverity(0.25));
        Assert.Equal(DriftSeverity.Critical, options.PsiSeverity(0.2501));
        Assert.Equal(DriftSeverity.Warning, (options with { PsiWarning = 0.05, PsiCritical = 0.5 }).PsiSeverity(0.3));
    }

    [Fact]
    public void An_empty_bin_gives_a_finite_psi_through_the_proportion_floor()
    {
        var psi = Divergence.Psi([10, 10], [20, 0]);

        // (1 − 0.5)·ln(1/0.5) + (1e-4 − 0.5)·ln(1e-4/0.5)
        Assert.Equal((0.5 * Math.Log(2)) + ((1e-4 - 0.5) * Math.Log(1e-4 / 0.5)), psi, 12);
        Assert.True(double.IsFinite(psi));
    }

    [Fact]
    public void All_tied_reference_values_make_one_edge_and_two_bins()
    {
        double[] reference = [5, 5, 5, 5];

        var report = FeatureDrift.Numeric("constant", reference, [5, 5, 6]);

        Assert.Equal([5.0], report.Bins.Edges);
        Assert.Equal([4L, 0], report.Bins.ReferenceCounts);
        Assert.Equal([2L, 1], report.Bins.CurrentCounts);
        // Std of a constant reference is 0: the distance divides by Evidently's floor instead.
        Assert.Equal((1.0 / 3) / Wasserstein.MinimumScale, report.Get(DriftMethod.NormalisedWasserstein).Statistic, 9);
    }

    [Fact]
    public void One_value_samples_are_handled()
    {
        var report = FeatureDrift.Numeric("one", [1.0], [2.0]);

        Assert.Equal([1.0], report.Bins.Edges);
        Assert.Equal([1L, 0], report.Bins.ReferenceCounts);
        Assert.Equal([0L, 1], report.Bins.CurrentCounts);
        Assert.Equal(1, report.Get(DriftMethod.KolmogorovSmirnov).Statistic);
        Assert.Equal(DriftMethod.KolmogorovSmirnov, report.DecisionMethod);
    }

    [Fact]
    public void One_element_bins_count_each_value_once()
    {
        double[] reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        var edges = Quantiles.BinEdges(reference);
        var counts = Quantiles.CountInBins(reference, edges);

        Assert.Equal(9, edges.Length);
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Empty_samples_are_rejected_clearly()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureDrift.Numeric("x", [1.0, 2.0], []));
        Assert.Contains("current is empty", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FeatureDrift.Categorical("c", ["a"], [null, null]));
    }

    [Fact]
    public void Nan_input_is_rejected_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureDrift.Numeric("x", [1.0, double.NaN], [1.0]));
        Assert.Contains("reference[1] is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_category_in_one_sample_only_gets_its_own_bin()
    {
        var report = FeatureDrift.Categorical("source", ["A", "A", "B"], ["A", "C", "C", "B"]);

        Assert.Equal(["A", "B", "C"], report.Bins.Labels);
        Assert.Equal([2L, 1, 0], report.Bins.ReferenceCounts);
        Assert.Equal([1L, 1, 2], report.Bins.CurrentCounts);
        Assert.True(report.Get(DriftMethod.ChiSquare).Statistic > 0);
        Assert.Equal(2, ChiSquareTest.Homogeneity(report.Bins.ReferenceCounts, report.Bins.CurrentCounts).DegreesOfFreedom);
        Assert.True(double.IsFinite(report.Psi.Statistic));
    }

    [Fact]
    public void Categories_beyond_the_bin_limit_share_the_other_bin()
    {
        var reference = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            reference.AddRange(Enumerable.Repeat($"c{i}", 10 - i));
        }

        var report = FeatureDrift.Categorical("many", reference, ["c0", "c5", "new"], DriftOptions.Default with { MaxCategoryBins = 3 });

        Assert.Equal(["c0", "c1", CategoryCounts.OtherCategory], report.Bins.Labels);
        Assert.Equal([10L, 9, 8 + 7 + 6 + 5], report.Bins.ReferenceCounts);
        Assert.Equal([1L, 0, 2], report.Bins.CurrentCounts);
    }

    [Fact]
    public void Boolean_drift_uses_the_z_test_for_small_samples_and_js_for_large()
    {
        var small = FeatureDrift.Boolean("flag", 30, 100, 50, 100);
        var large = FeatureDrift.Boolean("flag", 3000, 10000, 3100, 10000);

        Assert.Equal(DriftMethod.TwoProportionZ, small.DecisionMethod);
        Assert.True(small.Drifted);
        Assert.Equal(["false", "true"], small.Bins.Labels);
        Assert.Equal(DriftMethod.JensenShannonDistance, large.DecisionMethod);
        Assert.False(large.Drifted);
        Assert.True(large.Get(DriftMethod.TwoProportionZ).PValue < 0.2);
    }

    [Fact]
    public void The_decision_switches_from_tests_to_distances_above_the_small_sample_limit()
    {
        Assert.Equal(DriftMethod.KolmogorovSmirnov, FeatureDrift.DecisionMethodFor(FeatureType.Numeric, 50000, 1000));
        Assert.Equal(DriftMethod.NormalisedWasserstein, FeatureDrift.DecisionMethodFor(FeatureType.Numeric, 50000, 1001));
        Assert.Equal(DriftMethod.ChiSquare, FeatureDrift.DecisionMethodFor(FeatureType.Categorical, 800, 5000));
        Assert.Equal(DriftMethod.JensenShannonDistance, FeatureDrift.DecisionMethodFor(FeatureType.Categorical, 1001, 5000));
    }

    [Fact]
    public void Large_samples_with_a_trivial_shift_have_a_tiny_p_value_but_no_drift_decision()
    {
        var rng = new Random(3);
        var reference = Normal(rng, 200000, 0, 1);
        var current = Normal(rng, 200000, 0.03, 1);

        var report = FeatureDrift.Numeric("x", reference, current);

        Assert.True(report.Get(DriftMethod.KolmogorovSmirnov).PValue < 1e-6);
        Assert.Equal(DriftMethod.NormalisedWasserstein, report.DecisionMethod);
        Assert.False(report.Drifted);
    }

    [Fact]
    public void Drift_from_a_profile_matches_raw_psi_exactly_and_approximates_ks_and_wasserstein()
    {
        var rng = new Random(5);
        var reference = Normal(rng, 20000, 0, 1);
        var current = Normal(rng, 5000, 0.3, 1.2);
        var profile = ProfileBuilder.OfNumbers("x", reference);

        var raw = FeatureDrift.Numeric("x", reference, current);
        var fromProfile = FeatureDrift.Numeric(profile, SortedSample.From(current));

        Assert.Equal(raw.Bins.ReferenceCounts, fromProfile.Bins.ReferenceCounts);
        Assert.Equal(raw.Bins.CurrentCounts, fromProfile.Bins.CurrentCounts);
        Assert.Equal(raw.Psi.Statistic, fromProfile.Psi.Statistic, 12);
        Assert.Equal(raw.Get(DriftMethod.JensenShannonDistance).Statistic, fromProfile.Get(DriftMethod.JensenShannonDistance).Statistic, 12);
        Assert.InRange(Math.Abs(raw.Get(DriftMethod.KolmogorovSmirnov).Statistic - fromProfile.Get(DriftMethod.KolmogorovSmirnov).Statistic), 0, 0.005);
        Assert.InRange(Math.Abs(raw.Get(DriftMethod.NormalisedWasserstein).Statistic - fromProfile.Get(DriftMethod.NormalisedWasserstein).Statistic), 0, 0.01);
        Assert.True(fromProfile.Get(DriftMethod.KolmogorovSmirnov).Approximate);
        Assert.False(fromProfile.Psi.Approximate);
    }

    [Fact]
    public void Drift_of_a_profile_against_its_own_sample_is_near_zero()
    {
        var rng = new Random(6);
        var reference = Normal(rng, 3000, 10, 3);
        var profile = ProfileBuilder.OfNumbers("x", reference);

        var report = FeatureDrift.Numeric(profile, SortedSample.From(reference));

        Assert.Equal(0, report.Psi.Statistic);
        Assert.True(report.Get(DriftMethod.KolmogorovSmirnov).Statistic < 0.01);
        Assert.True(report.Get(DriftMethod.NormalisedWasserstein).Statistic < 0.01);
        Assert.False(report.Drifted);
    }

    [Fact]
    public void Categorical_drift_from_a_profile_matches_case_insensitively()
    {
        var profile = new CategoricalProfile("source", FeatureType.Categorical, 4, 0, [new CategoryCount("Google", 3), new CategoryCount("Direct", 1)]);

        var report = FeatureDrift.Categorical(profile, ["google", "GOOGLE", "Direct", null, "Olark"]);

        Assert.Equal(["Direct", "Google", "Olark"], report.Bins.Labels);
        Assert.Equal([1L, 3, 0], report.Bins.ReferenceCounts);
        Assert.Equal([1L, 2, 1], report.Bins.CurrentCounts);
        Assert.Equal(4, report.CurrentCount);
    }

    [Fact]
    public void Boolean_drift_from_a_profile_reads_its_true_count()
    {
        var profile = new CategoricalProfile("flag", FeatureType.Boolean, 10, 0, [new CategoryCount("false", 7), new CategoryCount("true", 3)]);

        var report = FeatureDrift.Boolean(profile, [true, true, false, false]);

        Assert.Equal([7L, 3], report.Bins.ReferenceCounts);
        Assert.Equal([2L, 2], report.Bins.CurrentCounts);
    }

    [Fact]
    public void Overall_psi_is_the_mean_of_feature_psi_and_dataset_drift_needs_half_the_features()
    {
        var a = FeatureDrift.Boolean("a", 50, 100, 50, 100);
        var b = FeatureDrift.Boolean("b", 10, 100, 60, 100);

        var summary = DriftSummary.Of([a, b]);

        Assert.Equal((a.Psi.Statistic + b.Psi.Statistic) / 2, summary.OverallPsi, 15);
        Assert.Equal(b.Psi.Statistic, summary.MaxPsi);
        Assert.Equal(1, summary.DriftedFeatures);
        Assert.True(summary.DatasetDrifted);
    }

    internal static double[] Normal(Random rng, int n, double mean, double sd)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            values[i] = mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }
}
