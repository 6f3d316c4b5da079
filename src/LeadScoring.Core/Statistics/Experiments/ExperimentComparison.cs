namespace LeadScoring.Core.Statistics;

/// <summary>Conversion in the two arms of an online test, treatment compared with control.</summary>
/// <param name="ControlRate">Control conversions / leads.</param>
/// <param name="TreatmentRate">Treatment conversions / leads.</param>
/// <param name="Difference">TreatmentRate − ControlRate (absolute lift).</param>
/// <param name="DifferenceInterval">Wald interval of the difference with the unpooled standard error.</param>
/// <param name="RelativeLift">Difference / ControlRate (NaN when the control rate is 0).</param>
/// <param name="RelativeLiftInterval">Interval of the relative lift from the delta method on log(rate ratio), exp(log RR ± z·se) − 1; NaN bounds when either arm has no conversions.</param>
/// <param name="Z">Pooled two-proportion z statistic.</param>
/// <param name="PValue">Two-sided p-value of the z-test.</param>
public sealed record ConversionComparison(
    double ControlRate,
    double TreatmentRate,
    double Difference,
    ConfidenceInterval DifferenceInterval,
    double RelativeLift,
    ConfidenceInterval RelativeLiftInterval,
    double Z,
    double PValue);

/// <summary>Welch's unequal-variance t-test of treatment against control means.</summary>
/// <param name="ControlMean">Control mean.</param>
/// <param name="TreatmentMean">Treatment mean.</param>
/// <param name="Difference">TreatmentMean − ControlMean.</param>
/// <param name="DifferenceInterval">t-interval of the difference at the Welch–Satterthwaite degrees of freedom.</param>
/// <param name="T">Difference / √(s²_t/n_t + s²_c/n_c).</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom.</param>
/// <param name="PValue">Two-sided p-value.</param>
public sealed record MeanComparison(
    double ControlMean,
    double TreatmentMean,
    double Difference,
    ConfidenceInterval DifferenceInterval,
    double T,
    double DegreesOfFreedom,
    double PValue);

/// <summary>Fixed-horizon statistics of an online test: conversion rate (z-test) and revenue per lead (Welch).</summary>
public static class ExperimentComparison
{
    /// <summary>Compares conversion rates; the p-value uses the pooled z-test, the intervals the unpooled standard error.</summary>
    public static ConversionComparison Conversions(long controlLeads, long controlConversions, long treatmentLeads, long treatmentConversions, double confidence = 0.95)
    {
        SampleGuard.Probability(confidence, nameof(confidence));
        SampleGuard.Count(controlConversions, controlLeads, nameof(controlConversions), nameof(controlLeads));
        SampleGuard.Count(treatmentConversions, treatmentLeads, nameof(treatmentConversions), nameof(treatmentLeads));
        var z = TwoProportionZTest.Test(controlConversions, controlLeads, treatmentConversions, treatmentLeads);
        double pc = z.RateA, pt = z.RateB;
        var critical = NormalTail.Quantile(0.5 + (confidence / 2));
        var se = Math.Sqrt((pc * (1 - pc) / controlLeads) + (pt * (1 - pt) / treatmentLeads));
        var difference = pt - pc;
        var relative = pc > 0 ? difference / pc : double.NaN;
        var relativeInterval = new ConfidenceInterval(double.NaN, double.NaN, confidence);
        if (controlConversions > 0 && treatmentConversions > 0)
        {
            var logRatio = Math.Log(pt / pc);
            var seLog = Math.Sqrt(((1 - pt) / treatmentConversions) + ((1 - pc) / controlConversions));
            relativeInterval = new ConfidenceInterval(Math.Exp(logRatio - (critical * seLog)) - 1, Math.Exp(logRatio + (critical * seLog)) - 1, confidence);
        }

        return new ConversionComparison(
            pc, pt, difference, new ConfidenceInterval(difference - (critical * se), difference + (critical * se), confidence), relative, relativeInterval, z.Z, z.PValue);
    }

    /// <summary>Welch's t-test of treatment against control values (e.g. revenue per lead).</summary>
    public static MeanComparison Means(ReadOnlySpan<double> control, ReadOnlySpan<double> treatment, double confidence = 0.95)
    {
        SampleGuard.Finite(control, nameof(control));
        SampleGuard.Finite(treatment, nameof(treatment));
        var (nc, mc, vc) = Moments(control, control.Length);
        var (nt, mt, vt) = Moments(treatment, treatment.Length);
        return Welch(nc, mc, vc, nt, mt, vt, confidence);
    }

    /// <summary>
    /// Revenue per lead, where only converted leads have revenue: each arm's <paramref name="controlConvertedRevenue"/>
    /// lists the converted leads' revenue and the other leads count as 0 (no zero padding is materialised).
    /// </summary>
    public static MeanComparison RevenuePerLead(long controlLeads, ReadOnlySpan<double> controlConvertedRevenue, long treatmentLeads, ReadOnlySpan<double> treatmentConvertedRevenue, double confidence = 0.95)
    {
        SampleGuard.Finite(controlConvertedRevenue, nameof(controlConvertedRevenue));
        SampleGuard.Finite(treatmentConvertedRevenue, nameof(treatmentConvertedRevenue));
        if (controlConvertedRevenue.Length > controlLeads || treatmentConvertedRevenue.Length > treatmentLeads)
        {
            throw new ArgumentException("an arm lists more converted leads' revenue than it has leads");
        }

        var (nc, mc, vc) = Moments(controlConvertedRevenue, controlLeads);
        var (nt, mt, vt) = Moments(treatmentConvertedRevenue, treatmentLeads);
        return Welch(nc, mc, vc, nt, mt, vt, confidence);
    }

    private static MeanComparison Welch(long nc, double mc, double vc, long nt, double mt, double vt, double confidence)
    {
        SampleGuard.Probability(confidence, nameof(confidence));
        var a = vt / nt;
        var b = vc / nc;
        var se = Math.Sqrt(a + b);
        var difference = mt - mc;
        if (se == 0)
        {
            // Both arms constant: the difference is exact.
            var certain = new ConfidenceInterval(difference, difference, confidence);
            return new MeanComparison(mc, mt, difference, certain, difference == 0 ? 0 : double.PositiveInfinity * Math.Sign(difference), double.NaN, difference == 0 ? 1 : 0);
        }

        var df = (a + b) * (a + b) / ((a * a / (nt - 1)) + (b * b / (nc - 1)));
        var t = difference / se;
        var p = StudentTail.TwoSided(t, df);
        var critical = StudentTail.Quantile(0.5 + (confidence / 2), df);
        return new MeanComparison(mc, mt, difference, new ConfidenceInterval(difference - (critical * se), difference + (critical * se), confidence), t, df, p);
    }

    /// <summary>Count, mean and sample variance (ddof = 1) of <paramref name="values"/> padded with zeros up to <paramref name="n"/> values.</summary>
    private static (long N, double Mean, double Variance) Moments(ReadOnlySpan<double> values, long n)
    {
        if (n < 2)
        {
            throw new ArgumentException($"an arm has {n} values; a variance needs at least two");
        }

        var sum = new CompensatedSum(0);
        foreach (var v in values)
        {
            sum.Add(v);
        }

        var mean = sum.Value / n;
        var squares = new CompensatedSum((n - values.Length) * mean * mean);
        foreach (var v in values)
        {
            var d = v - mean;
            squares.Add(d * d);
        }

        return (n, mean, squares.Value / (n - 1));
    }
}
