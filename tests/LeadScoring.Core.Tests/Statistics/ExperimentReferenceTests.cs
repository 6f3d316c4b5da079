using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class ExperimentReferenceTests
{
    public static TheoryData<string> AbCases() => [.. SharedData.StatsReference("ab_tests.json").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<int> SampleSizeCases() => [.. Enumerable.Range(0, SharedData.StatsReference("sample_size.json").GetArrayLength())];

    [Theory]
    [MemberData(nameof(AbCases))]
    public void Conversion_z_test_and_intervals_agree_with_the_reference(string name)
    {
        var c = Json.Case("ab_tests.json", name);
        var control = c.GetProperty("control");
        var treatment = c.GetProperty("treatment");
        var expected = c.GetProperty("expected");

        var result = ExperimentComparison.Conversions(
            control.GetProperty("n").GetInt64(), control.GetProperty("conversions").GetInt64(),
            treatment.GetProperty("n").GetInt64(), treatment.GetProperty("conversions").GetInt64());

        Tolerance.Statistic(expected.Number("two_proportion_z"), result.Z, "z");
        Tolerance.PValue(expected.Number("two_proportion_pvalue"), result.PValue, "z p-value");
        Tolerance.Statistic(expected.Number("diff"), result.Difference, "difference");
        var ci = expected.GetProperty("diff_ci95").Doubles();
        Tolerance.Statistic(ci[0], result.DifferenceInterval.Lower, "CI lower");
        Tolerance.Statistic(ci[1], result.DifferenceInterval.Upper, "CI upper");
        Tolerance.Statistic(expected.Number("relative_lift"), result.RelativeLift, "relative lift");
        Assert.True(result.RelativeLiftInterval.Contains(result.RelativeLift));
    }

    [Theory]
    [MemberData(nameof(AbCases))]
    public void Revenue_per_lead_welch_test_agrees_with_the_reference(string name)
    {
        var c = Json.Case("ab_tests.json", name);
        var control = c.GetProperty("control");
        var treatment = c.GetProperty("treatment");
        var expected = c.GetProperty("expected");

        var result = ExperimentComparison.RevenuePerLead(
            control.GetProperty("n").GetInt64(), control.GetProperty("converted_revenue").Doubles(),
            treatment.GetProperty("n").GetInt64(), treatment.GetProperty("converted_revenue").Doubles());

        Tolerance.Statistic(expected.Number("revenue_per_lead_control"), result.ControlMean, "control revenue per lead");
        Tolerance.Statistic(expected.Number("revenue_per_lead_treatment"), result.TreatmentMean, "treatment revenue per lead");
        Tolerance.Statistic(expected.Number("welch_t"), result.T, "Welch t");
        Tolerance.PValue(expected.Number("welch_pvalue"), result.PValue, "Welch p-value");
    }

    [Fact]
    public void Revenue_per_lead_equals_welch_on_explicitly_zero_padded_arms()
    {
        var c = Json.Case("ab_tests.json", "ab-0");
        var control = c.GetProperty("control");
        var treatment = c.GetProperty("treatment");
        var padded = (System.Text.Json.JsonElement arm) =>
        {
            var values = new double[arm.GetProperty("n").GetInt32()];
            arm.GetProperty("converted_revenue").Doubles().CopyTo(values, 0);
            return values;
        };

        var direct = ExperimentComparison.Means(padded(control), padded(treatment));
        var compact = ExperimentComparison.RevenuePerLead(
            control.GetProperty("n").GetInt64(), control.GetProperty("converted_revenue").Doubles(),
            treatment.GetProperty("n").GetInt64(), treatment.GetProperty("converted_revenue").Doubles());

        Tolerance.Statistic(direct.T, compact.T);
        Tolerance.Statistic(direct.DegreesOfFreedom, compact.DegreesOfFreedom);
    }

    [Theory]
    [MemberData(nameof(SampleSizeCases))]
    public void Sample_size_per_arm_agrees_with_the_reference(int index)
    {
        var c = SharedData.StatsReference("sample_size.json")[index];

        var n = SampleSize.PerArm(c.Number("baseline_rate"), c.Number("relative_lift"), c.Number("alpha"), c.Number("power"));

        Assert.Equal(c.GetProperty("n_per_arm").GetInt64(), n);
    }

    [Fact]
    public void Power_at_the_computed_sample_size_reaches_the_target()
    {
        var n = SampleSize.PerArm(0.08, 0.1, 0.05, 0.8);

        Assert.InRange(SampleSize.Power(n, 0.08, 0.1, 0.05), 0.8, 0.8001);
        Assert.True(SampleSize.Power(n - 1, 0.08, 0.1, 0.05) < 0.8);
    }

    [Fact]
    public void A_z_test_with_identical_all_zero_arms_has_p_value_one()
    {
        var result = TwoProportionZTest.Test(0, 100, 0, 50);

        Assert.Equal(0, result.Z);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Invalid_counts_are_rejected_clearly()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentComparison.Conversions(100, 120, 100, 10));
        Assert.Contains("controlConversions", error.Message, StringComparison.Ordinal);
    }
}
